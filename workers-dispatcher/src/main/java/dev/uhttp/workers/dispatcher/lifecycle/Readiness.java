package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.dispatcher.PoolStatus;
import dev.uhttp.workers.dispatcher.WorkerRole;
import java.time.Duration;
import java.util.List;

/**
 * Whether this dispatcher should get new work from a load balancer, and the lame duck that follows
 * SIGTERM: readiness turns to 503 for {@code lameDuck} while every route is still served, so that the
 * balancer's health check takes the node out before it stops accepting. Clock values are passed in
 * (nanoseconds), so the rule is tested without waiting. Loop thread only.
 */
final class Readiness {
    /** The answer of the readiness route: 200 or 503, and why. */
    record Verdict(int status, String reason) {
        boolean ready() {
            return status == 200;
        }
    }

    private final long lameDuckNanos;
    private long lameDuckEndsAt;
    private boolean lameDuck;

    Readiness(Duration lameDuck) {
        this.lameDuckNanos = lameDuck.toNanos();
    }

    /**
     * A termination signal at {@code now}: true when the graceful shutdown is to begin at once (no lame
     * duck configured, or a second signal during the lame duck), false when a lame duck has begun.
     */
    boolean terminate(long now) {
        if (lameDuckNanos <= 0 || lameDuck) {
            return true;
        }
        lameDuck = true;
        lameDuckEndsAt = now + lameDuckNanos;
        return false;
    }

    /** Whether the lame duck has begun. */
    boolean inLameDuck() {
        return lameDuck;
    }

    /** Milliseconds of lame duck left at {@code now} (0 once it is over, or when none began). */
    long lameDuckLeftMillis(long now) {
        return lameDuck ? Math.max(0, (lameDuckEndsAt - now + 999_999) / 1_000_000) : 0;
    }

    /**
     * The readiness at {@code now}: 200 while the dispatcher runs, is not a lame duck, and every pool has
     * a ready worker that takes requests (a paused worker counts: it pauses for a moment); else 503.
     */
    Verdict verdict(long now, boolean running, List<PoolStatus> pools) {
        if (!running) {
            return new Verdict(503, "shutting down");
        }
        if (lameDuck) {
            return new Verdict(503, "lame duck: shutting down in " + lameDuckLeftMillis(now) + " ms");
        }
        for (PoolStatus pool : pools) {
            if (pool.degraded()) {
                return new Verdict(503, "pool " + pool.name() + " is degraded");
            }
            if (pool.workers().stream().noneMatch(w -> w.ready() && w.role() == WorkerRole.ACTIVE)) {
                return new Verdict(503, "pool " + pool.name() + " has no ready worker");
            }
        }
        return new Verdict(200, "ready");
    }
}
