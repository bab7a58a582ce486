package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.loop.SelectorLoop;

/**
 * The one timer of a connection: its {@link Phase} says which limit applies, and since when. The loop
 * timer is rescheduled only when a deadline moves earlier; a timer that fires early (the phase changed
 * or restarted meanwhile) just reschedules.
 */
final class ConnectionTimer {
    private static final long LINGER_NANOS = 2_000_000_000L;

    /** Which limit applies to a connection now. */
    enum Phase {
        /** Requests wait for their answers: the dispatcher times those out, not the connection. */
        NONE,
        /** A new connection that sent nothing yet (header timeout, closed quietly). */
        FRESH,
        /** A request partly received (header timeout, then 408). */
        REQUEST,
        /** An idle keep-alive connection (keep-alive timeout, closed quietly). */
        IDLE,
        /** Output the client does not read (write timeout). */
        WRITE,
        /** The lingering close after the last response (two seconds). */
        LINGER;

        long limitNanos(HttpLimits config) {
            switch (this) {
                case FRESH:
                case REQUEST:
                    return config.headerTimeout().toNanos();
                case IDLE:
                    return config.keepAliveTimeout().toNanos();
                case WRITE:
                    return config.writeTimeout().toNanos();
                case LINGER:
                    return LINGER_NANOS;
                default:
                    return Long.MAX_VALUE;
            }
        }
    }

    private final SelectorLoop loop;
    private final HttpLimits config;
    private final Runnable onTimer;
    private Phase phase;
    private long phaseStart;
    private SelectorLoop.Timer timer;
    private long timerDue;

    ConnectionTimer(SelectorLoop loop, HttpLimits config, Runnable onTimer) {
        this.loop = loop;
        this.config = config;
        this.onTimer = onTimer;
    }

    Phase phase() {
        return phase;
    }

    /** Restarts the current phase's clock if it is {@code p} (progress was made). */
    void restart(Phase p) {
        if (phase == p) {
            phaseStart = System.nanoTime();
        }
    }

    /** The next {@link #update} enters its phase afresh, even if it is the current one. */
    void forgetPhase() {
        phase = null;
    }

    /** Enters phase {@code p} (its clock starts if it is new) and makes sure a timer covers its deadline. */
    void update(Phase p) {
        long now = System.nanoTime();
        if (p != phase) {
            phase = p;
            phaseStart = now;
        }
        if (p == Phase.NONE) {
            return;
        }
        long deadline = phaseStart + p.limitNanos(config);
        if (timer == null || timerDue - deadline > 0) {
            if (timer != null) {
                timer.cancel();
            }
            timerDue = deadline;
            timer = loop.schedule((Math.max(0, deadline - now) + 999_999) / 1_000_000, this::fired);
        }
    }

    private void fired() {
        timer = null;
        onTimer.run();
    }

    /** Whether the connection, now in phase {@code p}, has overrun that phase's limit. */
    boolean expired(Phase p) {
        return p == phase && p != Phase.NONE && System.nanoTime() - (phaseStart + p.limitNanos(config)) >= 0;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
