package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.dispatcher.http.HttpExchange;

/** Test access to what the dispatcher makes for its runtime: resolved pools, clients. */
public final class Internals {
    private Internals() {
    }

    /** {@code pool} as {@code build()} resolves it for a dispatcher of the default maxContentLength (1 MiB). */
    public static WorkerPool resolved(WorkerPool pool) {
        return pool.resolved(1 << 20);
    }

    /** The {@link Exchange} of {@code exchange}. */
    public static Exchange client(HttpExchange exchange) {
        return new Exchange(exchange);
    }
}
