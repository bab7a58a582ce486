package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The restart and backoff rules of a pool's failed workers: a slot that needs a restart gets one at
 * once while the {@link RestartBudget} has room; else it waits for the budget (or for the pool's
 * recovery interval, after which it is tried whatever the budget says), and once relaunched it is
 * {@code recovering} until ready. While any slot waits or recovers, the pool is degraded. Planned
 * replacements are not restarts of this kind (the {@link Recycler}'s). Loop thread only.
 */
final class RestartPolicy {
    private final WorkerPool spec;
    private final List<WorkerSlot> slots;
    private final PoolTimers timers;
    private final Scheduler scheduler;
    private final Supervisor supervisor;
    private final RestartBudget budget;
    /** When the next waiting slot is tried again: what a degraded pool's {@code Retry-After} says. */
    private long retryAtNanos;

    RestartPolicy(WorkerPool spec, List<WorkerSlot> slots, PoolTimers timers, Scheduler scheduler,
                  Supervisor supervisor) {
        this.spec = spec;
        this.slots = slots;
        this.timers = timers;
        this.scheduler = scheduler;
        this.supervisor = supervisor;
        this.budget = new RestartBudget(spec.maxRestarts(), spec.restartWindow().toNanos());
    }

    /** Relaunches {@code slot}'s worker now if the budget allows, else makes it wait (the pool degrades). */
    void restartOrDegrade(WorkerSlot slot) {
        if (supervisor.isStopping()) {
            return;
        }
        long now = timers.nanoTime();
        if (budget.tryTake(now)) {
            slot.restarts++;
            slot.recovering |= slot.awaitingBudget;
            slot.awaitingBudget = false;
            supervisor.launch(slot);
            return;
        }
        long waitMillis = spec.recoveryInterval().map(Duration::toMillis)
                .orElseGet(() -> TimeUnit.NANOSECONDS.toMillis(budget.nanosUntilRoom(now)) + 1); // only then: it prunes the history
        retryAtNanos = Math.max(retryAtNanos, now + TimeUnit.MILLISECONDS.toNanos(waitMillis));
        if (!slot.awaitingBudget) {
            slot.awaitingBudget = true;
            supervisor.log(LogLevel.ERROR, "pool degraded: {} restarts within {} s; worker {} waits for the restart budget",
                    budget.used(now), spec.restartWindow().toSeconds(), slot.id);
            scheduler.failQueued(503, supervisor.retryAfterHeaders(), supervisor.degradedMessage(), RemovalReason.REJECTED);
        }
        timers.schedule(waitMillis, () -> {
            if (slot.awaitingBudget) {
                retryAfterBudget(slot);
            }
        });
    }

    /** A degraded slot's wait is over: with a recovery interval it is tried whatever the budget says. */
    private void retryAfterBudget(WorkerSlot slot) {
        if (spec.recoveryInterval().isPresent() && !supervisor.isStopping()) {
            budget.tryTake(timers.nanoTime());
            slot.restarts++;
            slot.recovering = true;
            slot.awaitingBudget = false;
            supervisor.launch(slot);
        } else {
            restartOrDegrade(slot);
        }
    }

    /** Whether a slot waits for the restart budget or has not recovered since: the pool is degraded. */
    boolean anyWaitingOrRecovering() {
        for (int i = 0; i < slots.size(); i++) { // per request: no iterator
            WorkerSlot slot = slots.get(i);
            if (slot.awaitingBudget || slot.recovering) {
                return true;
            }
        }
        return false;
    }

    /** Whole seconds (at least 1) until a waiting slot is tried again. */
    long secondsUntilRetry() {
        return Math.max(1, (retryAtNanos - timers.nanoTime() + 999_999_999L) / 1_000_000_000L);
    }
}
