package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;

/** What a pool needs from the dispatcher around it. Called on the loop thread. */
public interface PoolContext extends LogSink {

    /** A record a worker sent (already filtered by its pool's level). */
    void workerLog(LogLevel level, String logger, String message);

    /** Requests pending across all pools changed by {@code delta} (for {@code maxPending}). */
    void pendingChanged(int delta);

    /** The configuration's hooks, called as they are (they never throw). */
    PoolHooks hooks();

    /**
     * A pool broadcast {@code body} to its workers: hand it to the other dispatchers of the cluster (their
     * pool of the same name). Nothing without a cluster bus.
     */
    default void clusterBroadcast(String pool, String method, String path, String[] headers, byte[] body) {
    }

    /** Buffered output of a streaming connection over which its worker is asked to hold back. */
    long streamPauseBytes();

    /** The most of a streamed body a handler may read into memory with {@code body()} (maxContentLength). */
    default long bufferedBodyLimit() {
        return 1 << 20;
    }
}
