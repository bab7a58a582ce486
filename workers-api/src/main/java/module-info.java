/**
 * The contracts a user's worker code compiles against: {@link dev.uhttp.workers.api.Worker},
 * {@link dev.uhttp.workers.api.Api}, {@link dev.uhttp.workers.api.Request},
 * {@link dev.uhttp.workers.api.Response}, {@link dev.uhttp.workers.api.Logger}.
 * Depends on {@code java.base} only.
 */
module uhttp.workers.api {
    exports dev.uhttp.workers.api;
    // Shared plumbing for the runtime modules only; not part of the public API.
    exports dev.uhttp.workers.api.internal to uhttp.workers.worker, uhttp.workers.dispatcher, uhttp.workers.ipc.spi,
            uhttp.workers.ipc.unixsocket, uhttp.workers.cluster.redis;
}
