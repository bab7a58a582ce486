package dev.uhttp.workers.dispatcher.metrics;

import java.util.Locale;

/** What a worker is doing: the {@code state} label of {@code uhttp_workers}; each worker is in exactly one. */
public enum WorkerState {
    /** Ready and idle. */
    READY,
    /** Ready and holding requests. */
    BUSY,
    /** Launched, not ready yet. */
    STARTING,
    /** Ready, but it asked for no new requests ({@code Worker.pause}). */
    PAUSED,
    /** Leaving the pool (recycle, reload, resize): finishing what it holds. */
    DRAINING,
    /** A ready (or starting) spare that takes no requests until promoted. */
    SPARE,
    /** Exited with the permanent-failure status: not restarted. */
    PARKED,
    /** Asked to stop (shutdown). */
    STOPPING,
    /** Gone, waiting for its restart (e.g. for the restart budget). */
    DEAD;

    final String label = name().toLowerCase(Locale.ROOT);
}
