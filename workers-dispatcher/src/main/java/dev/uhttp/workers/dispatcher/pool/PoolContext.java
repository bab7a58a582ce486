package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PendingRequest;

/** What a pool needs from the dispatcher around it. Called on the loop thread. */
public interface PoolContext {

    /** Logs a record under {@code logger}, with {@code {}} placeholders. */
    void log(LogLevel level, String logger, String message, Object... args);

    /** Requests pending across all pools changed by {@code delta} (for {@code maxPending}). */
    void pendingChanged(int delta);

    /** A worker's answer was sent to the client ({@code Dispatcher.onResponse}). */
    void responded(int status, String[] headers, byte[] body, PendingRequest request);

    /** Buffered output of a streaming connection over which its worker is asked to hold back. */
    long streamPauseBytes();
}
