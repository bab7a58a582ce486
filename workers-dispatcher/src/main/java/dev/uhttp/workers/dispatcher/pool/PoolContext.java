package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerDeath;
import java.util.List;

/** What a pool needs from the dispatcher around it. Called on the loop thread. */
public interface PoolContext {

    /** Logs a record under {@code logger}, with {@code {}} placeholders. */
    void log(LogLevel level, String logger, String message, Object... args);

    /** A record a worker sent (already filtered by its pool's level). */
    void workerLog(LogLevel level, String logger, String message);

    /** Requests pending across all pools changed by {@code delta} (for {@code maxPending}). */
    void pendingChanged(int delta);

    /** A worker's answer was sent to the client ({@code Dispatcher.onResponse}). */
    void responded(int status, String[] headers, byte[] body, PoolRequest request);

    /** A pool let go of {@code request} ({@code Dispatcher.onPendingRemoved}); once per request. */
    void removed(PoolRequest request, RemovalReason reason);

    /** A worker process ended without being asked to ({@code onWorkerDied}); never throws. */
    void workerDied(WorkerDeath death);

    /**
     * A pool broadcast {@code body} to its workers: hand it to the other dispatchers of the cluster (their
     * pool of the same name). Nothing without a cluster bus.
     */
    default void clusterBroadcast(String pool, String method, String path, String[] headers, byte[] body) {
    }

    /** A worker handed fire-and-forget work for {@code route} to whichever pool serves it ({@code onForward}). */
    void forwarded(String route, String[] headers, byte[] body);

    /** Buffered output of a streaming connection over which its worker is asked to hold back. */
    long streamPauseBytes();

    /** The most of a streamed body a handler may read into memory with {@code body()} (maxContentLength). */
    default long bufferedBodyLimit() {
        return 1 << 20;
    }
}
