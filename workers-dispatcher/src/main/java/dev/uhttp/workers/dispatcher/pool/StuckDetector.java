package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PendingRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds stuck workers: busy, and without progress for longer than the stuck timeout. Heartbeats come
 * from the loop that runs handlers, so a handler stuck in native code or a busy loop stops them; a
 * worker that still sends them reports how long its oldest request has made no progress. Loop thread.
 */
final class StuckDetector {
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
     * silent (no message at all) or reporting in its heartbeats that its handler has not moved.
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
                supervisor.log(LogLevel.ERROR, "worker {} (pid {}) stuck: no progress for {} ms (stuck timeout {} ms): killing and restarting",
                        slot.id, slot.pid, stalled, stuckMillis);
                List<PendingRequest> victims = supervisor.victims(slot);
                slot.state = WorkerSlot.State.DEAD;
                scheduler.endHeld(slot, 502, "Worker was stuck and has been restarted", false, RemovalReason.WORKER_DIED);
                if (slot.process != null) {
                    // exited() sees the same generation and restarts it; its victims are answered already.
                    slot.stuckVictims = victims;
                    supervisor.kill(slot, "stuck");
                    slot.state = WorkerSlot.State.STARTING;
                }
            }
        }
    }
}
