package dev.uhttp.workers.worker.runtime;

/**
 * One request being handled: when it started and when it last made progress ({@code keepAlive}).
 * Written by the handler's thread, read by the loop thread for heartbeats.
 */
final class InFlight {
    /** Least time between two {@code KeepAlive} messages for one request. */
    static final long KEEP_ALIVE_THROTTLE_NANOS = 100_000_000L;

    final long id;
    /** What the handler watchdog reports about it: its {@code X-Request-Id}, method and path. */
    final String requestId;
    final String method;
    final String path;
    final long startNanos;
    /** The thread running its handler while it runs (bound), else null: whose stack to take. */
    volatile Thread thread;
    /** Watchdog thread only: its slow-request stack, its stuck stacks were sent. */
    boolean slowReported;
    boolean stacksSent;
    private volatile long lastProgressNanos;
    private long lastKeepAliveSentNanos;

    InFlight(long id, long now) {
        this(id, "", "", "", now);
    }

    InFlight(long id, String requestId, String method, String path, long now) {
        this.id = id;
        this.requestId = requestId == null ? "" : requestId;
        this.method = method;
        this.path = path;
        this.startNanos = now;
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
