package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The life of a pool's worker processes: launch, ready, restart when one dies, kill when one is stuck
 * or does not start in time, and the degraded state while restarts exceed their budget. Loop thread only.
 *
 * <p><b>Generations.</b> Each launch bumps its slot's generation; events of an older process (its exit,
 * its messages, its startup timer) carry the generation they were made for and are ignored when it no
 * longer matches.
 *
 * <p><b>Degraded.</b> A slot that needs a restart while the {@link RestartBudget} is spent waits for it
 * ({@code awaitingBudget}); once relaunched it is {@code recovering} until ready. While any slot is
 * either, the pool is degraded: queued requests get 503 at once and new ones too.
 */
final class Supervisor {
    private final PoolSpec spec;
    private final WorkerSlot[] slots;
    private final PoolTimers timers;
    private final PoolContext context;
    private final WorkerSpawner spawner;
    private final Scheduler scheduler;
    private final BiFunction<WorkerSlot, Integer, IpcChannel.Listener> links;
    private final RestartBudget budget;
    private final long stuckMillis;
    private Map<String, Object> lastConfig;
    private boolean stopping;

    Supervisor(PoolSpec spec, WorkerSlot[] slots, PoolTimers timers, PoolContext context, WorkerSpawner spawner,
               Scheduler scheduler, BiFunction<WorkerSlot, Integer, IpcChannel.Listener> links) {
        this.spec = spec;
        this.slots = slots;
        this.timers = timers;
        this.context = context;
        this.spawner = spawner;
        this.scheduler = scheduler;
        this.links = links;
        this.budget = new RestartBudget(spec.maxRestarts(), spec.restartWindow().toNanos());
        this.stuckMillis = spec.stuckTimeout().toMillis();
    }

    /** Launches every worker and starts the stuck-worker check. */
    void start() {
        for (WorkerSlot slot : slots) {
            launch(slot);
        }
        long every = Math.max(50, Math.min(spec.heartbeatInterval().toMillis(), 1000) / 2);
        scheduleRepeating(every, this::checkStuck);
    }

    private void scheduleRepeating(long every, Runnable task) {
        timers.schedule(every, () -> {
            if (!stopping) {
                task.run();
                scheduleRepeating(every, task);
            }
        });
    }

    // ------------------------------------------------------------------ launching

    private void launch(WorkerSlot slot) {
        int generation = ++slot.generation;
        slot.state = WorkerSlot.State.STARTING;
        slot.process = null;
        slot.channel = null;
        slot.pid = -1;
        slot.paused = false;
        slot.seen = false;
        slot.stalledMillis = 0;
        slot.reportedBusy = false;
        timers.schedule(spec.startupTimeout().toMillis(), () -> {
            if (generation == slot.generation && slot.state == WorkerSlot.State.STARTING && !stopping) {
                log(LogLevel.ERROR, "worker {} (pid {}) not ready after {} s (startup timeout): killing and restarting",
                        slot.id, slot.pid, spec.startupTimeout().toSeconds());
                if (slot.process != null) {
                    slot.process.destroyForcibly(); // exited() restarts it
                }
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
        log(LogLevel.CRITICAL, "cannot launch worker {}: {}", slot.id, e.toString());
        restartOrDegrade(slot);
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
            IpcChannel channel = attach.attach(process, links.apply(slot, generation));
            slot.channel = channel;
            channel.send(new Message.Init(spec.name(), slot.id, spec.workerClass().getName(), spec.kwargs(),
                    spec.logLevel().value(), spec.heartbeatInterval().toMillis(), spec.concurrency()));
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
        scheduler.endHeld(slot, 502, "Worker died", false);
        if (stopping || before == WorkerSlot.State.STOPPING) {
            return;
        }
        log(LogLevel.ERROR, "worker {} (pid {}) died with exit code {}: restarting", slot.id, process.pid(),
                process.exitValue());
        restartOrDegrade(slot);
    }

    private void restartOrDegrade(WorkerSlot slot) {
        if (stopping) {
            return;
        }
        long now = timers.nanoTime();
        if (budget.tryTake(now)) {
            slot.restarts++;
            slot.recovering |= slot.awaitingBudget;
            slot.awaitingBudget = false;
            launch(slot);
            return;
        }
        if (!slot.awaitingBudget) {
            slot.awaitingBudget = true;
            log(LogLevel.ERROR, "pool degraded: {} restarts within {} s; worker {} waits for the restart budget",
                    budget.used(now), spec.restartWindow().toSeconds(), slot.id);
            scheduler.failQueued(503, degradedMessage());
        }
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(budget.nanosUntilRoom(now)) + 1;
        timers.schedule(waitMillis, () -> {
            if (slot.awaitingBudget) {
                restartOrDegrade(slot);
            }
        });
    }

    String degradedMessage() {
        return "Service unavailable: pool " + spec.name() + " is degraded";
    }

    /** Whether the pool answers 503: a worker waits for the restart budget or has not recovered yet. */
    boolean isDegraded() {
        for (WorkerSlot slot : slots) {
            if (slot.awaitingBudget || slot.recovering) {
                return true;
            }
        }
        return false;
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
        log(LogLevel.INFO, "worker {} ready (pid {})", slot.id, slot.pid);
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

    /**
     * Kills a worker that holds work and has shown no progress for longer than the stuck timeout:
     * silent (no message at all) or reporting in its heartbeats that its handler has not moved.
     */
    void checkStuck() {
        long now = timers.nanoTime();
        for (WorkerSlot slot : slots) {
            if (slot.state != WorkerSlot.State.READY || (slot.inFlight.isEmpty() && !slot.reportedBusy)) {
                continue;
            }
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - slot.lastSeenNanos);
            long stalled = Math.max(silentMillis, slot.stalledMillis);
            if (stalled > stuckMillis) {
                log(LogLevel.ERROR, "worker {} (pid {}) stuck: no progress for {} ms (stuck timeout {} ms): killing and restarting",
                        slot.id, slot.pid, stalled, stuckMillis);
                slot.state = WorkerSlot.State.DEAD;
                scheduler.endHeld(slot, 502, "Worker was stuck and has been restarted", false);
                if (slot.process != null) {
                    slot.process.destroyForcibly();
                    // exited() sees the same generation and restarts it.
                    slot.state = WorkerSlot.State.STARTING;
                }
            }
        }
    }

    /** The channel to {@code slot}'s worker closed: a worker without its channel is useless. */
    void channelClosed(WorkerSlot slot, IOException cause) {
        if (stopping) {
            return;
        }
        if (cause != null) {
            log(LogLevel.ERROR, "channel to worker {} (pid {}) failed: {}: killing it", slot.id, slot.pid,
                    cause.getMessage());
        }
        if (slot.process != null) {
            slot.process.destroyForcibly(); // exited() restarts it
        }
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

    /** Asks every worker to stop; no restarts from now on. */
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

    private void log(LogLevel level, String message, Object... args) {
        context.log(level, spec.name(), message, args);
    }
}
