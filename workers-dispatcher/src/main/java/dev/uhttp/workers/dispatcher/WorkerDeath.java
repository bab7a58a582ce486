package dev.uhttp.workers.dispatcher;

import java.util.List;

/**
 * A worker process that ended without being asked to, as {@code onWorkerDied} sees it (the reference's
 * {@code on_worker_died}).
 *
 * @param pool     the pool's name
 * @param workerId the worker's id in its pool
 * @param reason   why it ended
 * @param exitCode its process's exit status (-1 when unknown)
 * @param victims  the requests it held, already answered 502
 */
public record WorkerDeath(String pool, int workerId, Reason reason, int exitCode, List<PoolRequest> victims) {

    public WorkerDeath {
        victims = List.copyOf(victims);
    }

    /** Why a worker process ended unasked. */
    public enum Reason {
        /** It exited or crashed by itself. */
        DIED,
        /** It went without heartbeat or progress for the pool's {@code stuckTimeout} and was killed. */
        STUCK,
        /** It did not report ready within the pool's {@code startupTimeout} and was killed. */
        STARTUP_TIMEOUT,
        /** Its IPC channel failed (a broken frame, a closed pipe) and it was killed. */
        CHANNEL_FAILED,
        /** It exited with the pool's {@code permanentFailureExitCode}: parked, not restarted. */
        PARKED
    }
}
