/** IPC over the JDK's own Unix domain sockets (JDK 16+), in a private directory, with peer checks. */
module uhttp.workers.ipc.unixsocket {
    requires uhttp.workers.ipc.spi;
    requires jdk.net;

    provides dev.uhttp.workers.ipc.IpcProvider with dev.uhttp.workers.ipc.unixsocket.UnixSocketIpcProvider;
}
