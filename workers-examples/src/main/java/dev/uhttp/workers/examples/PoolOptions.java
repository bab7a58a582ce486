package dev.uhttp.workers.examples;

import dev.uhttp.workers.dispatcher.DispatcherBuilder;
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
    void applyTo(DispatcherBuilder dispatcher) {
        dispatcher.updatePools(this::applyTo);
    }

    /** {@code pool} with these options. */
    WorkerPool applyTo(WorkerPool pool) {
        WorkerPool p = pool.maxRequests(maxRequests).maxRequestsJitter(maxRequestsJitter).spares(spares);
        return maxAgeSeconds > 0 ? p.maxAge(Duration.ofSeconds(maxAgeSeconds), Duration.ofSeconds(maxAgeSeconds / 10)) : p;
    }
}
