package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.pool.PoolSpec;

/** Test access to what the dispatcher makes for its runtime: fixed pool settings, clients. */
public final class Internals {
    private Internals() {
    }

    /** Fixes {@code pool}'s settings and returns them, as the dispatcher does at start. */
    public static PoolSpec spec(WorkerPool pool) {
        return pool.freeze(1 << 20);
    }

    /** The {@link Exchange} of {@code exchange}. */
    public static Exchange client(HttpExchange exchange) {
        return new Exchange(exchange);
    }
}
