package dev.uhttp.workers.dispatcher;

import java.util.List;

/**
 * A pool's state for monitoring.
 *
 * @param name      the pool's name
 * @param degraded  whether it answers 503 because its workers restarted too often (or all are parked)
 * @param queued    requests waiting for a free worker
 * @param pending   requests waiting or being handled
 * @param reloading whether a rolling reload is under way
 * @param workers   one entry per worker process of the pool (active, spare, draining)
 */
public record PoolStatus(String name, boolean degraded, int queued, int pending, boolean reloading,
                         List<WorkerStatus> workers) {

    /**
     * One worker.
     *
     * @param id                      worker id, unique among the pool's workers, kept across restarts
     * @param pid                     process id of the current JVM, or -1 while none runs
     * @param alive                   whether its process is running
     * @param ready                   whether it has finished {@code setup()}
     * @param paused                  whether the worker asked for no new requests
     * @param secondsSinceHeartbeat   time since its last message, or -1 before the first
     * @param currentRequests         ids of the requests it is handling
     * @param restarts                how many times this worker was restarted after a crash
     * @param role                    what the pool does with it: active, spare or draining
     * @param parked                  exited with the pool's permanent-failure status: not restarted
     * @param recycleReason           why it leaves or will leave the pool, or null while it stays
     * @param startedAt               when its current process was launched (epoch milliseconds)
     * @param generation              the reload generation it was launched for (0 before any reload)
     * @param served                  requests its current process answered
     * @param residentBytes           its resident memory at the last sample, or -1 when not sampled
     */
    public record WorkerStatus(int id, long pid, boolean alive, boolean ready, boolean paused,
                               double secondsSinceHeartbeat, List<Long> currentRequests, int restarts,
                               WorkerRole role, boolean parked, RecycleReason recycleReason, long startedAt, int generation,
                               long served, long residentBytes) {
    }
}
