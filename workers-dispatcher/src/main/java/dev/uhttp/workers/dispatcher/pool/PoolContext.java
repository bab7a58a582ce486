package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
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

    /**
     * A worker process ended without being asked to ({@code Dispatcher.onWorkerDied}).
     *
     * @param reason  {@code died}, {@code stuck}, {@code startup_timeout}, {@code channel_failed}, {@code parked}
     * @param victims the requests it held, already answered
     */
    void workerDied(String pool, int workerId, String reason, int exitCode, List<PoolRequest> victims);

    /** A worker handed fire-and-forget work for {@code route} to whichever pool serves it ({@code onForward}). */
    void forwarded(String route, String[] headers, byte[] body);

    /** Buffered output of a streaming connection over which its worker is asked to hold back. */
    long streamPauseBytes();

    /** The most of a streamed body a handler may read into memory with {@code body()} (maxContentLength). */
    default long bufferedBodyLimit() {
        return 1 << 20;
    }
}
