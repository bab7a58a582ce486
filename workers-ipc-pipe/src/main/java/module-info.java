/** IPC over the worker process's stdin and stdout. */
module uhttp.workers.ipc.pipe {
    requires uhttp.workers.ipc.spi;

    provides dev.uhttp.workers.ipc.IpcProvider with dev.uhttp.workers.ipc.pipe.PipeIpcProvider;
}
