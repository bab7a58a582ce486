package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.ipc.Message;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds stuck workers: busy, and without progress for longer than the stuck timeout. Heartbeats come
 * from the loop that runs handlers, so a handler stuck in native code or a busy loop stops them; a
 * worker that still sends them reports how long its oldest request has made no progress. Loop thread.
 */
final class StuckDetector {
    /** How long a stuck worker's kill waits for the stacks of its handlers. */
    static final long STACKS_WAIT_MILLIS = 1_000;

    private final long stuckMillis;
    private final List<WorkerSlot> slots;
    private final PoolTimers timers;
    private final Scheduler scheduler;
    private final Supervisor supervisor;

    StuckDetector(long stuckMillis, List<WorkerSlot> slots, PoolTimers timers, Scheduler scheduler, Supervisor supervisor) {
        this.stuckMillis = stuckMillis;
        this.slots = slots;
        this.timers = timers;
        this.scheduler = scheduler;
        this.supervisor = supervisor;
    }

    /**
     * Kills a worker that holds work and has shown no progress for longer than the stuck timeout:
     * silent (no message at all) or reporting in its heartbeats that its handler has not moved. Its
     * requests are answered 502 at once; the kill is logged at ERROR with the stacks of its handler
     * threads: those it sent by itself as the timeout neared, else those it answers to
     * {@code DumpStacks} within {@value #STACKS_WAIT_MILLIS} ms (it is killed then, with or without).
     */
    void check() {
        long now = timers.nanoTime();
        for (WorkerSlot slot : List.copyOf(slots)) {
            if (slot.state != WorkerSlot.State.READY || (slot.inFlight.isEmpty() && !slot.reportedBusy)) {
                continue;
            }
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - slot.lastSeenNanos);
            long stalled = Math.max(silentMillis, slot.stalledMillis);
            if (stalled > stuckMillis) {
                List<PoolRequest> victims = supervisor.victims(slot);
                slot.state = WorkerSlot.State.DEAD;
                scheduler.endHeld(slot, 502, "Worker was stuck and has been restarted", false, RemovalReason.WORKER_DIED);
                String what = "worker " + slot.id + " (pid " + slot.pid + ") stuck: no progress for " + stalled
                        + " ms (stuck timeout " + stuckMillis + " ms): killing and restarting";
                if (slot.process == null) {
                    supervisor.log(LogLevel.ERROR, "{}", what);
                    continue;
                }
                // exited() sees the same generation and restarts it; its victims are answered already.
                slot.stuckVictims = victims;
                int generation = slot.generation;
                slot.stuckKill = () -> kill(slot, generation, what);
                boolean fresh = slot.lastStacks != null && now - slot.lastStacksNanos < TimeUnit.MILLISECONDS.toNanos(stuckMillis);
                if (fresh) {
                    slot.stuckKill.run();
                } else {
                    slot.lastStacks = null;
                    slot.sendIfConnected(new Message.DumpStacks());
                    timers.schedule(STACKS_WAIT_MILLIS, () -> {
                        Runnable k = slot.stuckKill;
                        if (k != null && generation == slot.generation) {
                            k.run();
                        }
                    });
                }
            }
        }
    }

    /** {@code slot}'s worker sent the stacks of its handlers: kept for its kill report, which may be waiting. */
    void stacksReceived(WorkerSlot slot, String stacks) {
        slot.lastStacks = stacks;
        slot.lastStacksNanos = timers.nanoTime();
        Runnable k = slot.stuckKill;
        if (k != null) {
            k.run();
        }
    }

    private void kill(WorkerSlot slot, int generation, String what) {
        slot.stuckKill = null;
        if (generation != slot.generation) {
            return; // it died by itself meanwhile and was restarted
        }
        String stacks = slot.lastStacks;
        supervisor.log(LogLevel.ERROR, "{}; {}", what, stacks != null ? "its handlers:\n" + stacks.stripTrailing()
                : "no stacks from it within " + STACKS_WAIT_MILLIS + " ms (a handler holding its only thread)");
        slot.lastStacks = null;
        supervisor.kill(slot, dev.uhttp.workers.dispatcher.WorkerDeath.Reason.STUCK);
        slot.state = WorkerSlot.State.STARTING;
    }
}
