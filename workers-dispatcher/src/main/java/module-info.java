/**
 * The dispatcher: one NIO selector loop that owns every client connection (HTTP/1.1, optionally TLS)
 * and every worker channel, serves static files and sync handlers itself, and hands the rest to pools
 * of worker JVMs that it launches and supervises.
 */
module uhttp.workers.dispatcher {
    requires transitive uhttp.workers.api;
    requires transitive uhttp.workers.ipc.spi; // the cluster bus SPI runs on its SelectorLoop
    requires uhttp.workers.worker;
    requires com.fasterxml.jackson.databind;
    // sun.misc.Signal: SIGTERM/SIGINT start a graceful shutdown that ends with exit status 0.
    requires jdk.unsupported;

    exports dev.uhttp.workers.dispatcher;
    exports dev.uhttp.workers.dispatcher.cluster;

    uses dev.uhttp.workers.ipc.IpcProvider;
    uses dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider;
}
