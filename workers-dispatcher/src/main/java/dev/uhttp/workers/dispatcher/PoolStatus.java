package dev.uhttp.workers.dispatcher;

import java.util.List;

/**
 * A pool's state for monitoring.
 *
 * @param name     the pool's name
 * @param degraded whether it answers 503 because its workers restarted too often
 * @param queued   requests waiting for a free worker
 * @param pending  requests waiting or being handled
 * @param workers  one entry per worker slot
 */
public record PoolStatus(String name, boolean degraded, int queued, int pending, List<WorkerStatus> workers) {

    /**
     * One worker slot.
     *
     * @param id                      worker id in the pool, kept across restarts
     * @param pid                     process id of the current JVM, or -1 while none runs
     * @param alive                   whether its process is running
     * @param ready                   whether it has finished {@code setup()} and takes requests
     * @param paused                  whether the worker asked for no new requests
     * @param secondsSinceHeartbeat   time since its last message, or -1 before the first
     * @param currentRequests         ids of the requests it is handling
     * @param restarts                how many times this slot was restarted
     */
    public record WorkerStatus(int id, long pid, boolean alive, boolean ready, boolean paused,
                               double secondsSinceHeartbeat, List<Long> currentRequests, int restarts) {
    }
}
