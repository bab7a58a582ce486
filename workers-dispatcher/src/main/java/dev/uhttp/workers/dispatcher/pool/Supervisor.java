package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerDeath;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.WorkerRole;
import dev.uhttp.workers.dispatcher.metrics.RestartReason;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The life of a pool's worker processes: launch, ready, restart when one dies (a ready spare takes its
 * place at once), kill when one is stuck or does not start in time, park one that exits with the
 * permanent-failure status, and the degraded state while restarts exceed their budget. Planned
 * replacements (recycling, reload, resize) are the {@link Recycler}'s. Each rule has its place: the
 * restart and backoff rules in {@link RestartPolicy}, the kill of stuck workers in {@link StuckDetector},
 * the parking of workers that fail for good in {@link Parking}. Loop thread only.
 *
 * <p><b>Generations.</b> Each launch bumps its slot's generation; events of an older process (its exit,
 * its messages, its startup timer) carry the generation they were made for and are ignored when it no
 * longer matches.
 *
 * <p><b>Degraded.</b> While a slot waits for a restart or recovers from one ({@link RestartPolicy}), or
 * every worker is parked ({@link Parking}), the pool is degraded: requests get 503 with {@code Retry-After}.
 */
final class Supervisor {
    private final WorkerPool spec;
    private final List<WorkerSlot> slots;
    private final PoolHandle handle;
    private final PoolTimers timers;
    private final PoolContext context;
    private final WorkerSpawner spawner;
    private final Scheduler scheduler;
    /** How long a worker whose channel closed may take to exit by itself before it is killed. */
    private static final long CHANNEL_GRACE_MILLIS = 200;
    private final BiFunction<WorkerSlot, Integer, IpcChannel.Listener> links;
    private final RestartPolicy restarts;
    private final Parking parking;
    final Recycler recycler;
    final StuckDetector stuck;
    private Map<String, Object> lastConfig;
    private boolean stopping;

    Supervisor(WorkerPool spec, List<WorkerSlot> slots, PoolHandle handle, PoolTimers timers, PoolContext context,
               WorkerSpawner spawner, Scheduler scheduler, BiFunction<WorkerSlot, Integer, IpcChannel.Listener> links) {
        this.spec = spec;
        this.slots = slots;
        this.handle = handle;
        this.timers = timers;
        this.context = context;
        this.spawner = spawner;
        this.scheduler = scheduler;
        this.links = links;
        this.restarts = new RestartPolicy(spec, slots, timers, scheduler, this);
        this.parking = new Parking(spec, slots, scheduler, this);
        this.stuck = new StuckDetector(spec.stuckTimeout().toMillis(), slots, timers, scheduler, this);
        this.recycler = new Recycler(spec, slots, timers, context, spawner, scheduler, this);
    }

    /** Launches every worker and spare, and starts the periodic checks. */
    void start() {
        for (int i = 0; i < spec.workers(); i++) {
            launch(newSlot(WorkerRole.ACTIVE));
        }
        for (int i = 0; i < spec.spares(); i++) {
            launch(newSlot(WorkerRole.SPARE));
        }
        long every = Math.max(50, Math.min(spec.heartbeatInterval().toMillis(), 1000) / 2);
        scheduleRepeating(every, () -> {
            stuck.check();
            recycler.check();
        });
    }

    private void scheduleRepeating(long every, Runnable task) {
        timers.schedule(every, () -> {
            if (!stopping) {
                task.run();
                scheduleRepeating(every, task);
            }
        });
    }

    /** A new slot with the lowest id no other slot has, added to the pool (not launched). */
    WorkerSlot newSlot(WorkerRole role) {
        int id = 0;
        while (hasId(id)) {
            id++;
        }
        WorkerSlot slot = new WorkerSlot(id, role);
        slots.add(slot);
        return slot;
    }

    private boolean hasId(int id) {
        for (WorkerSlot s : slots) {
            if (s.id == id) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ launching

    void launch(WorkerSlot slot) {
        int generation = ++slot.generation;
        slot.state = WorkerSlot.State.STARTING;
        slot.process = null;
        slot.channel = null;
        slot.pid = -1;
        slot.paused = false;
        slot.seen = false;
        slot.stalledMillis = 0;
        slot.reportedBusy = false;
        slot.killReason = null;
        recycler.launched(slot);
        timers.schedule(spec.startupTimeout().toMillis(), () -> {
            if (generation == slot.generation && slot.state == WorkerSlot.State.STARTING && !stopping) {
                log(LogLevel.ERROR, "worker {} (pid {}) not ready after {} s (startup timeout): killing and restarting",
                        slot.id, slot.pid, spec.startupTimeout().toSeconds());
                kill(slot, WorkerDeath.Reason.STARTUP_TIMEOUT); // exited() restarts it
            }
        });
        spawner.spawn(slot.id, new WorkerSpawner.Spawned() {
            @Override
            public void started(Process process, WorkerSpawner.Attach attach) {
                Supervisor.this.started(slot, generation, attach, process);
            }

            @Override
            public void failed(Exception cause) {
                launchFailed(slot, generation, cause);
            }
        });
    }

    private void launchFailed(WorkerSlot slot, int generation, Exception e) {
        if (generation != slot.generation) {
            return;
        }
        slot.state = WorkerSlot.State.DEAD;
        metrics().restart(RestartReason.STARTUP_FAILED);
        log(LogLevel.CRITICAL, "cannot launch worker {}: {}", slot.id, e.toString());
        if (!recycler.replacementFailed(slot, -1)) {
            restarts.restartOrDegrade(slot);
        }
    }

    private void started(WorkerSlot slot, int generation, WorkerSpawner.Attach attach, Process process) {
        if (generation != slot.generation || stopping) {
            process.destroyForcibly();
            return;
        }
        slot.process = process;
        slot.pid = process.pid();
        process.onExit().thenRun(() -> timers.execute(() -> exited(slot, generation, process)));
        try {
            slot.deferred.clear();
            IpcChannel channel = metrics().counting(attach.attach(process, links.apply(slot, generation)));
            slot.channel = channel;
            channel.send(new Message.Init(spec.name(), slot.id, spec.workerClass().getName(), spec.kwargs(),
                    spec.logLevel().value(), spec.heartbeatInterval().toMillis(), spec.concurrency(), spec.logName(),
                    spec.slowRequestThreshold().map(Duration::toMillis).orElse(0L),
                    spec.stuckTimeout().toMillis()));
            if (lastConfig != null) {
                channel.send(new Message.Config(lastConfig));
            }
        } catch (IOException | RuntimeException e) {
            log(LogLevel.ERROR, "cannot attach to worker {} (pid {}): {}", slot.id, slot.pid, e.toString());
            process.destroyForcibly();
        }
    }

    private void exited(WorkerSlot slot, int generation, Process process) {
        if (generation != slot.generation) {
            return;
        }
        WorkerSlot.State before = slot.state;
        slot.state = WorkerSlot.State.DEAD;
        if (slot.channel != null) {
            slot.channel.close();
        }
        List<PoolRequest> victims = slot.stuckVictims != null ? slot.stuckVictims : victims(slot);
        slot.stuckVictims = null;
        scheduler.endHeld(slot, 502, "Worker died", false, RemovalReason.WORKER_DIED);
        if (stopping || before == WorkerSlot.State.STOPPING) {
            recycler.left(slot, process.exitValue());
            return;
        }
        int exitCode = process.exitValue();
        boolean parked = parking.parks(slot, exitCode);
        WorkerDeath.Reason reason = parked ? WorkerDeath.Reason.PARKED
                : slot.killReason != null ? slot.killReason : WorkerDeath.Reason.DIED;
        metrics().restart(RestartReason.ofDeath(reason, before == WorkerSlot.State.STARTING));
        context.hooks().onWorkerDied(new WorkerDeath(spec.name(), slot.id, reason, exitCode, victims));
        if (before == WorkerSlot.State.STARTING && recycler.replacementFailed(slot, exitCode)) {
            return;
        }
        if (slot.role == WorkerRole.DRAINING) {
            recycler.left(slot, exitCode); // its replacement already serves
            return;
        }
        if (parked) {
            parking.park(slot, exitCode);
            return;
        }
        log(LogLevel.ERROR, "worker {} (pid {}) died with exit code {}: restarting", slot.id, process.pid(), exitCode);
        if (slot.role == WorkerRole.ACTIVE && promoteSpare(slot)) {
            slot.role = WorkerRole.SPARE; // restarted as the new spare
        }
        restarts.restartOrDegrade(slot);
    }

    List<PoolRequest> victims(WorkerSlot slot) {
        if (slot.holdsNothing()) {
            return List.of();
        }
        List<PoolRequest> victims = new ArrayList<>();
        for (PendingSet held : List.of(slot.inFlight, slot.deferred)) {
            for (Pending p : held.list()) {
                if (!p.done) {
                    victims.add(p.request(handle));
                }
            }
        }
        return victims;
    }

    /** Puts a ready spare in the place of {@code gone}; false when there is none. */
    boolean promoteSpare(WorkerSlot gone) {
        for (WorkerSlot s : slots) {
            if (s.role == WorkerRole.SPARE && s.state == WorkerSlot.State.READY && s.retireReason == null) {
                s.role = WorkerRole.ACTIVE;
                log(LogLevel.INFO, "spare worker {} (pid {}) takes the place of worker {}", s.id, s.pid, gone.id);
                scheduler.dispatchQueued();
                return true;
            }
        }
        return false;
    }

    String degradedMessage() {
        return "Service unavailable: pool " + spec.name() + " is degraded";
    }

    /** The headers of a 503 from a degraded pool: JSON, and when to try again. */
    String[] retryAfterHeaders() {
        long seconds = parking.allParked() ? spec.restartWindow().toSeconds() : restarts.secondsUntilRetry();
        return new String[] {"Content-Type", "application/json", "Retry-After", Long.toString(seconds)};
    }

    /** Whether the pool answers 503: a worker waits for the restart budget, has not recovered, or all are parked. */
    boolean isDegraded() {
        return restarts.anyWaitingOrRecovering() || parking.allParked();
    }

    // ------------------------------------------------------------------ health

    /** The worker of {@code slot} finished {@code setup()}. */
    void ready(WorkerSlot slot) {
        if (slot.state != WorkerSlot.State.STARTING) {
            return;
        }
        slot.state = WorkerSlot.State.READY;
        if (slot.recovering) {
            slot.recovering = false;
            if (!isDegraded()) {
                log(LogLevel.WARNING, "pool recovered: all workers are ready again");
            }
        }
        log(LogLevel.INFO, "{}worker {} ready (pid {})", slot.role == WorkerRole.SPARE ? "spare " : "",
                slot.id, slot.pid);
        recycler.ready(slot);
        scheduler.dispatchQueued();
        if (allReady()) {
            spawner.allReady();
        }
    }

    private boolean allReady() {
        for (WorkerSlot s : slots) {
            if (s.state != WorkerSlot.State.READY) {
                return false;
            }
        }
        return true;
    }

    void kill(WorkerSlot slot, WorkerDeath.Reason reason) {
        slot.killReason = reason;
        if (slot.process != null) {
            slot.process.destroyForcibly();
        }
    }

    /**
     * The channel to {@code slot}'s worker closed: a worker without its channel is useless. Usually the
     * worker died and its exit follows at once (reported as a death); one still running a moment later
     * is killed (reported as {@code channel_failed}).
     */
    void channelClosed(WorkerSlot slot, IOException cause) {
        if (stopping || slot.state == WorkerSlot.State.STOPPING) {
            return;
        }
        int generation = slot.generation;
        timers.schedule(CHANNEL_GRACE_MILLIS, () -> {
            if (generation == slot.generation && slot.isAlive() && slot.state != WorkerSlot.State.DEAD) {
                log(LogLevel.ERROR, "channel to worker {} (pid {}) failed: {}: killing it", slot.id, slot.pid,
                        cause == null ? "closed" : cause.getMessage());
                kill(slot, WorkerDeath.Reason.CHANNEL_FAILED); // exited() restarts it
            }
        });
    }

    // ------------------------------------------------------------------ control

    /** Sends {@code config} to every worker now and to every worker started later. */
    void sendConfig(Map<String, ?> config) {
        Message.Config message = new Message.Config(new LinkedHashMap<>(config));
        for (WorkerSlot slot : slots) {
            slot.sendIfConnected(message);
        }
        lastConfig = message.config();
    }

    boolean isStopping() {
        return stopping;
    }

    /** Asks every worker to stop ({@code teardown()}); no restarts from now on. */
    void stop() {
        stopping = true;
        for (WorkerSlot slot : slots) {
            slot.sendIfConnected(new Message.Stop());
            if (slot.state != WorkerSlot.State.DEAD) {
                slot.state = WorkerSlot.State.STOPPING;
            }
        }
    }

    /** Whether any worker process is still running. */
    boolean anyAlive() {
        for (WorkerSlot slot : slots) {
            if (slot.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Kills every worker process still running. */
    void killAll() {
        for (WorkerSlot slot : slots) {
            if (slot.process != null && slot.process.isAlive()) {
                slot.process.destroyForcibly();
            }
        }
    }

    dev.uhttp.workers.dispatcher.metrics.PoolMetrics metrics() {
        return ((PoolRuntime) handle).metrics;
    }

    void log(LogLevel level, String message, Object... args) {
        context.log(level, spec.name(), message, args);
    }
}
