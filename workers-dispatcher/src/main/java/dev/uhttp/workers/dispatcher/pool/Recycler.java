package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.RecycleReason;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.WorkerRole;
import dev.uhttp.workers.dispatcher.metrics.RestartReason;
import dev.uhttp.workers.ipc.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Planned replacements of a pool's workers, none of which fails a request: recycling at a limit
 * (requests served, age, resident memory), rolling reload, and resize. Loop thread only.
 *
 * <p><b>Replace, then drain.</b> A worker that must go is replaced first: a ready spare takes its place
 * at once, else a new process is started while the old one keeps serving. Once the replacement is
 * ready, the old worker drains: it gets no new requests, finishes what it holds (deferred requests
 * keep their own timeout; open streams are ended with {@code onDisconnect} after the drain timeout),
 * is then sent {@code Stop} (it runs {@code teardown()} and exits) and leaves the pool. A replacement
 * that does not start leaves the old worker serving. Recycles never count as restarts.
 */
final class Recycler {
    private final WorkerPool spec;
    private final List<WorkerSlot> slots;
    private final PoolTimers timers;
    private final PoolContext context;
    private final WorkerSpawner spawner;
    private final Scheduler scheduler;
    private final Supervisor supervisor;
    private final SplittableRandom random = new SplittableRandom();
    private int reloadGeneration;
    private boolean reloading;
    private boolean sampling;
    private long sampledNanos;
    /** How often resident memory is sampled without a memory limit (for the metrics). */
    private static final long SAMPLE_EVERY_NANOS = 5_000_000_000L;

    Recycler(WorkerPool spec, List<WorkerSlot> slots, PoolTimers timers, PoolContext context, WorkerSpawner spawner,
             Scheduler scheduler, Supervisor supervisor) {
        this.spec = spec;
        this.slots = slots;
        this.timers = timers;
        this.context = context;
        this.spawner = spawner;
        this.scheduler = scheduler;
        this.supervisor = supervisor;
    }

    /** A process is being started for {@code slot}: its own limits, drawn with the jitter. */
    void launched(WorkerSlot slot) {
        slot.launchedNanos = timers.nanoTime();
        slot.launchedAtMillis = System.currentTimeMillis();
        slot.served = 0;
        slot.residentBytes = -1;
        slot.reloadGeneration = reloadGeneration;
        slot.requestLimit = spec.maxRequests() > 0 ? spec.maxRequests() + draw(spec.maxRequestsJitter()) : Long.MAX_VALUE;
        slot.ageLimitNanos = spec.maxAge().isEmpty() ? Long.MAX_VALUE
                : spec.maxAge().get().toNanos() + draw(spec.maxAgeJitter().toNanos());
    }

    private long draw(long jitter) {
        return jitter > 0 ? random.nextLong(jitter + 1) : 0;
    }

    /** {@code slot}'s worker is ready: the worker it replaces (if any) drains now. */
    void ready(WorkerSlot slot) {
        for (WorkerSlot old : List.copyOf(slots)) {
            if (old.replacement == slot) {
                old.replacement = null;
                drain(old);
            }
        }
        if (reloading) {
            step();
        }
    }

    /** Periodic: age and memory limits, draining workers, memory samples. */
    void check() {
        long now = timers.nanoTime();
        for (WorkerSlot s : List.copyOf(slots)) {
            if (s.role == WorkerRole.DRAINING) {
                drain(s);
            } else if (now - s.launchedNanos >= s.ageLimitNanos) {
                recycle(s, RecycleReason.MAX_AGE);
            } else if (spec.maxMemory() > 0 && s.residentBytes > spec.maxMemory()) {
                recycle(s, RecycleReason.MAX_MEMORY);
            }
        }
        // With a memory limit at every check; else now and then, for uhttp_worker_resident_bytes.
        if (!sampling && (spec.maxMemory() > 0 || now - sampledNanos >= SAMPLE_EVERY_NANOS)) {
            sampledNanos = now;
            sample();
        }
    }

    private void sample() {
        List<WorkerSlot> ready = new ArrayList<>();
        for (WorkerSlot s : slots) {
            if (s.state == WorkerSlot.State.READY && s.pid > 0) {
                ready.add(s);
            }
        }
        long[] pids = ready.stream().mapToLong(s -> s.pid).toArray();
        sampling = true;
        spawner.residentBytes(pids, sizes -> {
            sampling = false;
            for (int i = 0; i < ready.size(); i++) {
                if (ready.get(i).pid == pids[i]) {
                    ready.get(i).residentBytes = sizes[i];
                }
            }
        });
    }

    /** Replaces {@code slot}'s worker because it reached a limit ({@code reason}). */
    void recycle(WorkerSlot slot, RecycleReason reason) {
        if (supervisor.isStopping() || !slot.isStaying() || slot.state != WorkerSlot.State.READY
                || slot.replacement != null || slot.recycleFailed) {
            return;
        }
        slot.retireReason = reason;
        countRestart(reason);
        supervisor.log(LogLevel.INFO, "worker {} (pid {}) is recycled ({}) after {} requests and {} s",
                slot.id, slot.pid, reason.text(), slot.served, (timers.nanoTime() - slot.launchedNanos) / 1_000_000_000L);
        if (supervisor.promoteSpare(slot)) {
            drain(slot);
            supervisor.launch(supervisor.newSlot(WorkerRole.SPARE));
            return;
        }
        WorkerSlot replacement = supervisor.newSlot(WorkerRole.ACTIVE);
        slot.replacement = replacement;
        supervisor.launch(replacement);
    }

    /** Counts the restart of a planned replacement (a recycle at a limit, a reload's), one mapping for both. */
    private void countRestart(RecycleReason reason) {
        RestartReason counted = RestartReason.ofRecycle(reason);
        if (counted != null) {
            supervisor.metrics().restart(counted);
        }
    }

    /**
     * Takes {@code slot} out of service and, once it holds nothing, stops it; called again on every
     * check and message until it has left.
     */
    void drain(WorkerSlot slot) {
        long now = timers.nanoTime();
        if (slot.role != WorkerRole.DRAINING) {
            slot.role = WorkerRole.DRAINING;
            slot.drainDeadlineNanos = now + spec.drainTimeout().toNanos();
            if (slot.retireReason == null) {
                slot.retireReason = RecycleReason.RETIRED;
            }
        }
        if (slot.state == WorkerSlot.State.STARTING || slot.state == WorkerSlot.State.DEAD) {
            remove(slot); // never served: nothing to drain
            return;
        }
        if (slot.state == WorkerSlot.State.STOPPING) {
            return;
        }
        if (slot.holdsNothing()) {
            slot.state = WorkerSlot.State.STOPPING;
            slot.sendIfConnected(new Message.Stop());
            int generation = slot.generation;
            timers.schedule(spec.drainTimeout().toMillis(), () -> {
                if (generation == slot.generation && slot.isAlive()) {
                    supervisor.log(LogLevel.WARNING, "worker {} (pid {}) did not exit after Stop: killing it",
                            slot.id, slot.pid);
                    slot.process.destroyForcibly();
                }
            });
            return;
        }
        if (!slot.drainStreamsEnded && now - slot.drainDeadlineNanos >= 0) {
            slot.drainStreamsEnded = true;
            supervisor.log(LogLevel.INFO, "worker {} (pid {}): drain timeout, ending its open streams", slot.id, slot.pid);
            scheduler.endHeld(slot, 0, null, true, RemovalReason.DRAINED);
            drain(slot);
        }
    }

    /** A worker that was asked to stop has exited: a retired one leaves the pool. */
    void left(WorkerSlot slot, int exitCode) {
        if (slot.role == WorkerRole.DRAINING) {
            supervisor.log(LogLevel.INFO, "worker {} (pid {}) left the pool ({}), exit code {}", slot.id, slot.pid,
                    slot.retireReason.text(), exitCode);
            slots.remove(slot);
            if (reloading) {
                step();
            }
        }
    }

    /** Drops a slot whose process never served: its events are ignored from now on. */
    private void remove(WorkerSlot slot) {
        slot.generation++;
        slot.awaitingBudget = false;
        slot.recovering = false;
        if (slot.process != null && slot.process.isAlive()) {
            slot.process.destroyForcibly();
        }
        slots.remove(slot);
        for (WorkerSlot old : slots) {
            if (old.replacement == slot) { // the replacement was retired itself: the old one stays
                old.replacement = null;
                old.retireReason = null;
            }
        }
    }

    /**
     * {@code slot} failed to start; if it was a replacement, the worker it was to replace keeps
     * serving (a reload stops there) and true is returned.
     */
    boolean replacementFailed(WorkerSlot slot, int exitCode) {
        WorkerSlot old = null;
        for (WorkerSlot s : slots) {
            if (s.replacement == slot) {
                old = s;
            }
        }
        if (old == null) {
            return false;
        }
        old.replacement = null;
        slot.generation++;
        slots.remove(slot);
        if (old.retireReason == RecycleReason.RELOAD) {
            old.retireReason = null;
            if (reloading) {
                reloading = false;
                supervisor.log(LogLevel.ERROR, "reload of pool {} stopped: a new worker did not start (exit code {}); "
                        + "the old workers keep serving", spec.name(), exitCode);
            }
        } else {
            old.retireReason = null;
            old.recycleFailed = true;
            supervisor.log(LogLevel.ERROR, "the replacement of worker {} did not start (exit code {}): "
                    + "worker {} keeps serving and is not recycled again", old.id, exitCode, old.id);
        }
        return true;
    }

    // ------------------------------------------------------------------ resize and reload

    /** Active workers that stay (starting ones included). */
    int staying() {
        int n = 0;
        for (WorkerSlot s : slots) {
            if (s.isStaying() && !s.parked) {
                n++;
            }
        }
        return n;
    }

    /** Adds workers (they take requests once ready) or drains and retires the highest ids. */
    void resize(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 worker, not " + workers);
        }
        int current = staying();
        supervisor.log(LogLevel.INFO, "pool {} resized from {} to {} workers", spec.name(), current, workers);
        for (int i = current; i < workers; i++) {
            supervisor.launch(supervisor.newSlot(WorkerRole.ACTIVE));
        }
        if (workers < current) {
            List<WorkerSlot> staying = new ArrayList<>();
            for (WorkerSlot s : slots) {
                if (s.isStaying() && !s.parked) {
                    staying.add(s);
                }
            }
            staying.sort(Comparator.comparingInt((WorkerSlot s) -> s.id).reversed());
            for (WorkerSlot s : staying.subList(0, current - workers)) {
                s.retireReason = RecycleReason.RESIZE;
                drain(s);
            }
        }
    }

    /** Replaces every worker and spare, {@code reloadBatch} at a time; a reload under way starts over. */
    void reload() {
        if (supervisor.isStopping()) {
            return;
        }
        reloadGeneration++;
        reloading = true;
        spawner.reloading();
        supervisor.log(LogLevel.INFO, "reloading pool {}: every worker is replaced, {} at a time", spec.name(),
                spec.reloadBatch());
        step();
    }

    boolean isReloading() {
        return reloading;
    }

    private void step() {
        int inFlight = 0;
        for (WorkerSlot s : slots) {
            if (s.retireReason == RecycleReason.RELOAD && s.replacement != null) {
                inFlight++;
            }
        }
        while (inFlight < spec.reloadBatch()) {
            WorkerSlot next = nextToReload();
            if (next == null) {
                break;
            }
            next.retireReason = RecycleReason.RELOAD;
            countRestart(RecycleReason.RELOAD);
            WorkerSlot replacement = supervisor.newSlot(next.role);
            next.replacement = replacement;
            supervisor.launch(replacement);
            inFlight++;
        }
        if (inFlight == 0 && !anyOldGeneration()) {
            reloading = false;
            supervisor.log(LogLevel.INFO, "pool {} reloaded: every worker replaced", spec.name());
        }
    }

    private WorkerSlot nextToReload() {
        for (WorkerSlot s : slots) {
            if (s.role != WorkerRole.DRAINING && s.retireReason == null && s.replacement == null && !s.parked
                    && s.state == WorkerSlot.State.READY && s.reloadGeneration < reloadGeneration) {
                return s;
            }
        }
        return null;
    }

    private boolean anyOldGeneration() {
        for (WorkerSlot s : slots) {
            if (s.role != WorkerRole.DRAINING && !s.parked && s.reloadGeneration < reloadGeneration) {
                return true;
            }
        }
        return false;
    }
}
