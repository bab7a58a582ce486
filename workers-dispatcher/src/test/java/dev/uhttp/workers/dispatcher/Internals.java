package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.pool.PoolSpec;

/** Test access to what the dispatcher makes for its runtime: fixed pool settings, clients. */
public final class Internals {
    private Internals() {
    }

    /** {@code pool}'s settings as the runtime reads them. */
    public static PoolSpec spec(WorkerPool pool) {
        return pool.spec(1 << 20);
    }

    /** The {@link Exchange} of {@code exchange}. */
    public static Exchange client(HttpExchange exchange) {
        return new Exchange(exchange);
    }
}
