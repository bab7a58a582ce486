package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.WorkerRole;
import java.util.List;

/**
 * The parking of workers that fail for good: one that exits by itself with the pool's
 * {@code permanentFailureExitCode} is not restarted (a ready spare takes its place), and once every
 * worker is parked the pool is degraded for good: queued and new requests get 503. Loop thread only.
 */
final class Parking {
    private final WorkerPool spec;
    private final List<WorkerSlot> slots;
    private final Scheduler scheduler;
    private final Supervisor supervisor;

    Parking(WorkerPool spec, List<WorkerSlot> slots, Scheduler scheduler, Supervisor supervisor) {
        this.spec = spec;
        this.slots = slots;
        this.scheduler = scheduler;
        this.supervisor = supervisor;
    }

    /** Whether {@code slot}'s worker, ended with {@code exitCode}, is to be parked rather than restarted. */
    boolean parks(WorkerSlot slot, int exitCode) {
        // A kill ends the process with 128 + its signal; any other status is the worker's own, even when a
        // kill was ordered (a worker whose channel closed because it was exiting can be slow to end).
        boolean ownExit = slot.killReason == null || exitCode < 128;
        return ownExit && spec.permanentFailureExitCode().isPresent()
                && exitCode == spec.permanentFailureExitCode().getAsInt();
    }

    /** Parks {@code slot} (its worker exited with {@code exitCode}): a spare takes its place, no restart. */
    void park(WorkerSlot slot, int exitCode) {
        slot.parked = true;
        supervisor.log(LogLevel.ERROR, "worker {} (pid {}) exited with the permanent-failure status {}: parked, not restarted",
                slot.id, slot.pid, exitCode);
        if (slot.role == WorkerRole.ACTIVE) {
            supervisor.promoteSpare(slot);
        }
        if (allParked()) {
            supervisor.log(LogLevel.ERROR, "pool {} is degraded for good: every worker is parked (exit status {})",
                    spec.name(), exitCode);
            scheduler.failQueued(503, supervisor.retryAfterHeaders(), supervisor.degradedMessage(), RemovalReason.REJECTED);
        }
    }

    /** Whether every worker (spares aside) is parked: the pool is degraded for good. */
    boolean allParked() {
        for (int i = 0; i < slots.size(); i++) { // per request (Supervisor.isDegraded): no iterator
            WorkerSlot slot = slots.get(i);
            if (slot.role != WorkerRole.SPARE && !slot.parked) {
                return false;
            }
        }
        return !slots.isEmpty();
    }
}
