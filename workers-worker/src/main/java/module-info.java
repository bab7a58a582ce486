/**
 * The runtime inside each worker JVM: connects to the dispatcher through the chosen IPC provider,
 * loads the user's {@link dev.uhttp.workers.api.Worker}, routes requests to its handlers and reports
 * heartbeats and logs. A user's module must open (or export) its worker packages to this module.
 */
module uhttp.workers.worker {
    requires transitive uhttp.workers.api;
    requires uhttp.workers.ipc.spi;
    requires com.fasterxml.jackson.databind;

    exports dev.uhttp.workers.worker;
    // Result-to-bytes conversion shared with the dispatcher's sync handlers.
    exports dev.uhttp.workers.worker.encoding to uhttp.workers.dispatcher;
    // Query and cookie parsing, shared with the dispatcher's Exchange.
    exports dev.uhttp.workers.worker.request to uhttp.workers.dispatcher;

    uses dev.uhttp.workers.ipc.IpcProvider;
}
