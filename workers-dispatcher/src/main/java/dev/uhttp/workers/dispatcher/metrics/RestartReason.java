package dev.uhttp.workers.dispatcher.metrics;

import dev.uhttp.workers.dispatcher.RecycleReason;
import dev.uhttp.workers.dispatcher.WorkerDeath;
import java.util.Locale;

/**
 * Why a pool replaced a worker process: the {@code reason} label of
 * {@code uhttp_worker_restarts_total}. The first five are failures (the supervisor restarts the
 * worker); the others are planned replacements by the recycler, which fail no request.
 */
public enum RestartReason {
    /** Exited without being asked to. */
    DIED,
    /** Killed as stuck (no progress for longer than the stuck timeout). */
    STUCK,
    /** Could not be launched, or did not become ready in time (startup timeout), or exited while starting. */
    STARTUP_FAILED,
    /** Killed because its IPC channel failed while it still ran. */
    CHANNEL_FAILED,
    /** Exited with the pool's permanent-failure status: parked, not restarted. */
    PARKED,
    /** Recycled after serving its request limit. */
    RECYCLED_MAX_REQUESTS,
    /** Recycled at its age limit. */
    RECYCLED_MAX_AGE,
    /** Recycled over its resident memory limit. */
    RECYCLED_MAX_MEMORY,
    /** Replaced by a rolling reload (SIGHUP, {@code reload()}). */
    RELOAD;

    final String label = name().toLowerCase(Locale.ROOT);

    /** The restart counted for a worker's death; a worker that dies while starting failed its startup. */
    public static RestartReason ofDeath(WorkerDeath.Reason reason, boolean whileStarting) {
        return switch (reason) {
            case STUCK -> STUCK;
            case STARTUP_TIMEOUT -> STARTUP_FAILED;
            case CHANNEL_FAILED -> CHANNEL_FAILED;
            case PARKED -> PARKED;
            case DIED -> whileStarting ? STARTUP_FAILED : DIED;
        };
    }

    /**
     * The restart counted for a recycle: one at a limit is {@code recycled_*}, a reload's is {@link #RELOAD};
     * null for a resize or a retirement, which replace no worker.
     */
    public static RestartReason ofRecycle(RecycleReason reason) {
        return switch (reason) {
            case MAX_REQUESTS -> RECYCLED_MAX_REQUESTS;
            case MAX_AGE -> RECYCLED_MAX_AGE;
            case MAX_MEMORY -> RECYCLED_MAX_MEMORY;
            case RELOAD -> RELOAD;
            case RESIZE, RETIRED -> null;
        };
    }
}
