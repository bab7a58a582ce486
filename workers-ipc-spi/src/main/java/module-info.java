/**
 * The IPC provider SPI ({@link dev.uhttp.workers.ipc.IpcProvider}, found with {@link java.util.ServiceLoader}),
 * the message set exchanged between dispatcher and workers, and the one MessagePack frame codec both
 * sides use. The codec reads and writes MessagePack itself; its tests check it against msgpack-core.
 */
module uhttp.workers.ipc.spi {
    // LogSink (uhttp.workers.api): the loop and the providers log through the runtime's one callback shape.
    requires transitive uhttp.workers.api;

    exports dev.uhttp.workers.ipc;
    exports dev.uhttp.workers.ipc.loop;

    uses dev.uhttp.workers.ipc.IpcProvider;
}
