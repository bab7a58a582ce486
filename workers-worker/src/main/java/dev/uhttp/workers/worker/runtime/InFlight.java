package dev.uhttp.workers.worker.runtime;

/**
 * One request being handled: when it started and when it last made progress ({@code keepAlive}).
 * Written by the handler's thread, read by the loop thread for heartbeats.
 */
final class InFlight {
    /** Least time between two {@code KeepAlive} messages for one request. */
    static final long KEEP_ALIVE_THROTTLE_NANOS = 100_000_000L;

    final long id;
    private volatile long lastProgressNanos;
    private long lastKeepAliveSentNanos;

    InFlight(long id, long now) {
        this.id = id;
        this.lastProgressNanos = now;
        this.lastKeepAliveSentNanos = now - KEEP_ALIVE_THROTTLE_NANOS;
    }

    /** Nanoseconds since the start or the last progress. */
    long stalledNanos(long now) {
        return Math.max(0, now - lastProgressNanos);
    }

    /**
     * Records progress; true when a {@code KeepAlive} should be sent now (at most one per throttle
     * period). Called only by the thread handling the request.
     */
    boolean progress(long now) {
        lastProgressNanos = now;
        if (now - lastKeepAliveSentNanos >= KEEP_ALIVE_THROTTLE_NANOS) {
            lastKeepAliveSentNanos = now;
            return true;
        }
        return false;
    }
}
