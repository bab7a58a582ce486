package dev.uhttp.workers.dispatcher.pool;

import java.util.ArrayDeque;

/**
 * How many restarts a pool may make within a sliding window (the reference's {@code max_restarts}
 * within {@code restart_window}). Pure: the caller passes the time, so the rule is testable alone.
 */
final class RestartBudget {
    private final int max;
    private final long windowNanos;
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();

    RestartBudget(int max, long windowNanos) {
        this.max = max;
        this.windowNanos = windowNanos;
    }

    /** Takes one restart at {@code now} if the window has room; false when the budget is spent. */
    boolean tryTake(long now) {
        forgetOld(now);
        if (restarts.size() >= max) {
            return false;
        }
        restarts.addLast(now);
        return true;
    }

    /** Restarts counted in the window at {@code now}. */
    int used(long now) {
        forgetOld(now);
        return restarts.size();
    }

    /** Nanoseconds from {@code now} until the oldest restart leaves the window (0: there is room). */
    long nanosUntilRoom(long now) {
        forgetOld(now);
        if (max == 0) {
            return windowNanos; // no restarts at all: look again after a window, never spin
        }
        if (restarts.size() < max) {
            return 0;
        }
        return restarts.peekFirst() + windowNanos - now;
    }

    private void forgetOld(long now) {
        while (!restarts.isEmpty() && now - restarts.peekFirst() >= windowNanos) {
            restarts.pollFirst();
        }
    }
}
