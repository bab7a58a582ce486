package dev.uhttp.workers.examples;

import dev.uhttp.workers.dispatcher.Dispatcher;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.time.Duration;

/**
 * The operations options of the example's command line, applied to every pool: recycling after a
 * number of requests (with jitter) or an age, and warm spares.
 *
 * @param maxAgeSeconds 0: never recycled for age
 */
record PoolOptions(long maxRequests, long maxRequestsJitter, long maxAgeSeconds, int spares) {

    static final PoolOptions NONE = new PoolOptions(0, 0, 0, 0);

    /** Applies these options to every pool of {@code dispatcher}. */
    void applyTo(Dispatcher dispatcher) {
        for (WorkerPool pool : dispatcher.pools()) {
            pool.maxRequests(maxRequests).maxRequestsJitter(maxRequestsJitter).spares(spares);
            if (maxAgeSeconds > 0) {
                pool.maxAge(Duration.ofSeconds(maxAgeSeconds), Duration.ofSeconds(maxAgeSeconds / 10));
            }
        }
    }
}
