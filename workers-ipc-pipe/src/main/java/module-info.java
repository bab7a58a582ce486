/** IPC over the worker process's stdin and stdout. */
module uhttp.workers.ipc.pipe {
    requires uhttp.workers.ipc.spi;
}
