package dev.uhttp.workers.dispatcher.pool;

import java.util.function.Consumer;

/**
 * The request timeouts of one pool. They all have the pool's one length, so starting them in time
 * order keeps them in deadline order: a list linked through the {@link Pending}s, and one loop timer
 * armed for its head, instead of a timer and a task object per request. Restarting a timeout moves
 * the request to the end; stopping it unlinks it. Loop thread only.
 */
final class Timeouts {
    private final PoolTimers timers;
    private final long timeoutNanos;
    private final Consumer<Pending> expired;
    private final Runnable sweepTask = this::sweep;
    private Pending first;
    private Pending last;
    /** Whether the loop timer is armed (for the head's deadline or earlier). */
    private boolean armed;

    /** @param expired called for each request whose timeout ran out (it may start it again) */
    Timeouts(PoolTimers timers, long timeoutMillis, Consumer<Pending> expired) {
        this.timers = timers;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.expired = expired;
    }

    /** Starts {@code p}'s timeout now, or again from now. */
    void start(Pending p) {
        stop(p);
        p.deadlineNanos = timers.nanoTime() + timeoutNanos;
        p.timeouts = this;
        p.timeoutPrev = last;
        if (last == null) {
            first = p;
        } else {
            last.timeoutNext = p;
        }
        last = p;
        if (!armed) {
            arm();
        }
    }

    /** Stops {@code p}'s timeout, if it runs. */
    void stop(Pending p) {
        if (p.timeouts != this) {
            return;
        }
        if (p.timeoutPrev == null) {
            first = p.timeoutNext;
        } else {
            p.timeoutPrev.timeoutNext = p.timeoutNext;
        }
        if (p.timeoutNext == null) {
            last = p.timeoutPrev;
        } else {
            p.timeoutNext.timeoutPrev = p.timeoutPrev;
        }
        p.timeoutPrev = null;
        p.timeoutNext = null;
        p.timeouts = null;
    }

    /** Whether {@code p}'s timeout runs. */
    boolean running(Pending p) {
        return p.timeouts == this;
    }

    private void arm() {
        if (first == null) {
            return;
        }
        long left = first.deadlineNanos - timers.nanoTime();
        armed = true;
        timers.schedule(Math.max(0, (left + 999_999) / 1_000_000), sweepTask); // never before the deadline
    }

    /**
     * The timer fired: ends every request due, in deadline order, then arms it for the next. A request
     * whose ending throws stops this sweep, not the others: the timer is armed again for them.
     */
    private void sweep() {
        armed = false;
        long now = timers.nanoTime();
        try {
            while (first != null && first.deadlineNanos - now <= 0) {
                Pending p = first;
                stop(p);
                expired.accept(p);
            }
        } finally {
            if (!armed) {
                arm();
            }
        }
    }
}
