package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.PoolStatus;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.WorkerRole;
import dev.uhttp.workers.dispatcher.http.JsonErrors;
import dev.uhttp.workers.dispatcher.http.ListenerScope;
import dev.uhttp.workers.dispatcher.metrics.PoolMetrics;
import dev.uhttp.workers.dispatcher.metrics.WorkerState;
import dev.uhttp.workers.dispatcher.staticfiles.FileRoots;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running pool: its worker slots, and the three pieces that act on them: the {@link Supervisor}
 * (processes: launch, restart, stuck, degraded), the {@link Scheduler} (requests: queue, worker
 * choice, timeouts) and one {@link WorkerLink} per worker process (its messages). This class wires
 * them and is the pool's public handle. Loop thread only.
 *
 * <p><b>Deferred and streaming answers.</b> A worker reports {@code Deferred(id)} when a handler
 * returned without answering: the request moves from the slot's in-flight set (which counts against
 * {@code concurrency}) to its deferred set, so the worker gets further requests while it stays open.
 * A deferred request keeps its timeout (504, and {@code ClientGone} to the worker) unless
 * {@code KeepAlive} restarts it; a stream has none. A client that leaves, a timed-out deferred request
 * and a stream cut by the engine all send {@code ClientGone(id)}, which the worker turns into
 * {@code Worker.onDisconnect(id)}.
 */
public final class PoolRuntime implements PoolHandle {
    /** Its settings: the configuration's own (immutable) {@code WorkerPool}. */
    final WorkerPool spec;
    /** The listeners its routes are served on. */
    private final ListenerScope listeners;
    final PoolContext context;
    final PoolTimers timers;
    final Scheduler scheduler;
    final Supervisor supervisor;
    final PoolMetrics metrics;
    /** Where handed-back files may come from (real paths, resolved once at start). */
    final FileRoots fileRoots;
    /** Every worker of the pool, in launch order (active, spare, draining). */
    private final List<WorkerSlot> slots = new ArrayList<>();

    public PoolRuntime(WorkerPool spec, PoolContext context, PoolTimers timers, WorkerSpawner spawner) {
        this(spec, context, timers, spawner, PoolMetrics.detached(spec.name()));
    }

    /** A pool counting into {@code metrics} (from the dispatcher's registry). */
    public PoolRuntime(WorkerPool spec, PoolContext context, PoolTimers timers, WorkerSpawner spawner, PoolMetrics metrics) {
        this.spec = spec;
        this.context = context;
        this.timers = timers;
        this.metrics = metrics;
        this.fileRoots = new FileRoots(spec.fileRoots());
        this.listeners = ListenerScope.of(spec.listeners());
        this.scheduler = new Scheduler(spec, slots, this, timers, context);
        this.supervisor = new Supervisor(spec, slots, this, timers, context, spawner, scheduler,
                (slot, generation) -> metrics.counting(new WorkerLink(slot, generation, this)));
    }

    /** The metrics its requests and workers are counted in. */
    public PoolMetrics metrics() {
        return metrics;
    }

    /** Writes the pool's gauges (queue, requests held, workers by state, memory) into its metrics. */
    public void sampleMetrics() {
        int held = 0;
        for (WorkerSlot s : slots) {
            held += s.inFlight.size() + s.deferred.size();
        }
        metrics.sampleQueue(scheduler.queued(), held);
        for (WorkerSlot s : slots) {
            metrics.sampleWorker(s.id, stateOf(s), s.residentBytes);
        }
    }

    private static WorkerState stateOf(WorkerSlot s) {
        if (s.parked) {
            return WorkerState.PARKED;
        }
        if (s.role == WorkerRole.DRAINING) {
            return WorkerState.DRAINING;
        }
        if (s.role == WorkerRole.SPARE) {
            return WorkerState.SPARE;
        }
        return switch (s.state) {
            case STARTING -> WorkerState.STARTING;
            case STOPPING -> WorkerState.STOPPING;
            case DEAD -> WorkerState.DEAD;
            case READY -> s.paused ? WorkerState.PAUSED : s.holdsNothing() ? WorkerState.READY : WorkerState.BUSY;
        };
    }

    /** The pool's workers (for the pool's own tests). */
    List<WorkerSlot> slotsForTest() {
        return slots;
    }

    /** Its settings. */
    public WorkerPool spec() {
        return spec;
    }

    /** The listeners its routes are served on (elsewhere they are 404). */
    public ListenerScope listeners() {
        return listeners;
    }

    @Override
    public String name() {
        return spec.name();
    }

    /** Launches every worker. */
    public void start() {
        supervisor.start();
    }

    /** Queues a client request; answers 503 at once when the pool is degraded. */
    public void submit(Pending p) {
        if (supervisor.isDegraded()) {
            p.exchange.respond(503, supervisor.retryAfterHeaders(), JsonErrors.body(supervisor.degradedMessage()));
            return;
        }
        scheduler.submit(p);
    }

    /** Bytes queued on the channels to this pool's workers and not written yet. */
    public long channelBacklog() {
        long n = 0;
        for (WorkerSlot slot : slots) {
            if (slot.channel != null) {
                n += slot.channel.pendingBytes();
            }
        }
        return n;
    }

    /** Requests of this pool waiting or in a worker. */
    public int pendingCount() {
        return scheduler.pendingCount();
    }

    // ------------------------------------------------------------------ PoolHandle

    @Override
    public void send(String method, String path, Object data) {
        scheduler.submit(fireAndForget(method, path, data));
    }

    /** Fire-and-forget work waiting in a pool before forwarded work is dropped. */
    public static final int MAX_FORWARDS_QUEUED = 10_000;

    /**
     * Queues work a worker forwarded ({@code headers} and {@code body} already encoded); false, and
     * nothing queued, when the pool is degraded or {@value #MAX_FORWARDS_QUEUED} pieces wait already.
     */
    public boolean forward(String path, String[] headers, byte[] body) {
        if (supervisor.isDegraded() || scheduler.fireAndForgetQueued() >= MAX_FORWARDS_QUEUED) {
            return false;
        }
        scheduler.submit(new Message.Request(-1, "POST", path, "", headers, body, "", 0, false));
        return true;
    }

    @Override
    public int broadcast(String method, String path, Object data) {
        Message.Request request = fireAndForget(method, path, data);
        context.clusterBroadcast(spec.name(), method, path, request.headers(), request.body());
        return broadcastLocal(request);
    }

    /** A broadcast another dispatcher of the cluster made to its pool of this name: to this pool's workers only. */
    public int broadcastLocal(String method, String path, String[] headers, byte[] body) {
        return broadcastLocal(new Message.Request(-1, method, path, "", headers, body, "", 0, false));
    }

    private int broadcastLocal(Message.Request request) {
        int sent = 0;
        for (WorkerSlot slot : slots) {
            if (slot.state == WorkerSlot.State.READY && slot.isConnected()) {
                slot.channel.send(request);
                sent++;
            }
        }
        return sent;
    }

    @Override
    public List<PoolRequest> streams() {
        List<PoolRequest> list = new ArrayList<>();
        for (WorkerSlot slot : slots) {
            for (PendingSet held : List.of(slot.inFlight, slot.deferred)) {
                for (Pending p : held.list()) {
                    if (p.streaming && !p.done) {
                        list.add(new PoolRequest(p.id, p.client, this));
                    }
                }
            }
        }
        return list;
    }

    @Override
    public void sendConfig(Map<String, ?> config) {
        supervisor.sendConfig(config);
    }

    @Override
    public void resize(int workers) {
        supervisor.recycler.resize(workers);
    }

    @Override
    public void reload() {
        supervisor.recycler.reload();
    }

    /** Fire-and-forget work: {@code data} becomes a body as a handler's result would (JSON, text, bytes). */
    private static Message.Request fireAndForget(String method, String path, Object data) {
        ResponseEncoder.Encoded body = ResponseEncoder.encode(data);
        return new Message.Request(-1, method, path, "", body.headers(), body.body(), "", 0, false);
    }

    @Override
    public PoolStatus status() {
        long now = timers.nanoTime();
        List<PoolStatus.WorkerStatus> workers = new ArrayList<>(slots.size());
        for (WorkerSlot s : slots) {
            List<Long> current = s.inFlight.ids();
            double since = s.seen ? Math.round((now - s.lastSeenNanos) / 1e6) / 1000.0 : -1;
            workers.add(new PoolStatus.WorkerStatus(s.id, s.pid, s.isAlive(), s.state == WorkerSlot.State.READY,
                    s.paused, since, current, s.restarts, s.role, s.parked,
                    s.retireReason, s.launchedAtMillis, s.reloadGeneration, s.served, s.residentBytes));
        }
        return new PoolStatus(name(), supervisor.isDegraded(), scheduler.queued(), scheduler.pendingCount(),
                supervisor.recycler.isReloading(), workers);
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Ends every open stream cleanly (the terminating chunk) and tells its worker ({@code onDisconnect}):
     * a stream has no natural end a shutdown could wait for.
     */
    public void endStreams() {
        for (WorkerSlot slot : slots) {
            scheduler.endHeld(slot, 0, null, true, RemovalReason.SHUTDOWN);
        }
    }

    /** Answers everything queued or in flight with {@code status}. */
    public void failAll(int status, String error) {
        scheduler.failQueued(status, JsonErrors.HEADERS, error, RemovalReason.SHUTDOWN);
        for (WorkerSlot slot : slots) {
            scheduler.endHeld(slot, status, error, false, RemovalReason.SHUTDOWN);
        }
    }

    /** Asks every worker to stop; no restarts from now on. */
    public void stop() {
        supervisor.stop();
    }

    /** Whether any worker process is still running. */
    public boolean anyAlive() {
        return supervisor.anyAlive();
    }

    /** Kills every worker process still running. */
    public void killAll() {
        supervisor.killAll();
    }

    @Override
    public String toString() {
        return "pool " + name();
    }
}
