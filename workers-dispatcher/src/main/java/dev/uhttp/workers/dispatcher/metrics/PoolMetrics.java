package dev.uhttp.workers.dispatcher.metrics;

import dev.uhttp.workers.dispatcher.http.ServedBy;
import dev.uhttp.workers.ipc.IpcChannel;
import java.util.Map;

/**
 * The metrics of one {@code pool} label: a worker pool, or {@code static}, {@code sync} or
 * {@code none} (answered without a route: 404, 413, 503 while shutting down...). Resolved once, when
 * the pool is made or the router picks the route, so that counting a request costs no lookup: plain
 * fields and arrays, owned by the loop thread.
 */
public final class PoolMetrics {
    /** The largest HTTP status the engine sends. */
    private static final int MAX_STATUS = 999;
    /** The status counted for a request that ended without an answer (its client left): nginx's 499. */
    static final int CLIENT_CLOSED = 499;

    final String name;
    final Map<String, String> poolLabel;
    /** Whether it is a worker pool (with workers, a queue and restarts). */
    final boolean workerPool;
    private final IpcCounters ipc;
    final long[] byStatus = new long[MAX_STATUS + 1];
    final Histogram duration = new Histogram(Histogram.LATENCY_SECONDS);
    final Histogram queueWait = new Histogram(Histogram.LATENCY_SECONDS);
    long responseBytes;
    final long[] restarts = new long[RestartReason.values().length];

    // ---- gauges, written by the pool just before a snapshot (see PoolRuntime.sampleMetrics)
    int queueDepth;
    int inFlight;
    final int[] workers = new int[WorkerState.values().length];
    /** Worker id and resident bytes, pairs, for the workers with a sample. */
    long[] resident = new long[0];
    int residentCount;

    /** The served-by record of requests counted here, made once. */
    private final ServedBy servedBy;

    PoolMetrics(String name, ServedBy.Route route, IpcCounters ipc) {
        this.name = name;
        this.servedBy = new ServedBy(name, route, this);
        this.poolLabel = Labels.of("pool", name);
        this.workerPool = route == ServedBy.Route.POOL;
        this.ipc = ipc;
    }

    /** Metrics of a pool that reports to no registry (the pool's unit tests). */
    public static PoolMetrics detached(String name) {
        return new PoolMetrics(name, ServedBy.Route.POOL, new IpcCounters());
    }

    /** Who served the requests counted here: what the router sets on the exchanges it sends to this label. */
    public ServedBy servedBy() {
        return servedBy;
    }

    /** A request ended: answered {@code status} (0: never answered), {@code nanos} after it was received. */
    void ended(int status, long nanos, long bytes) {
        int s = status <= 0 ? CLIENT_CLOSED : Math.min(status, MAX_STATUS);
        byStatus[s]++;
        duration.observe(nanos);
        responseBytes += bytes;
    }

    /** A request waited {@code nanos} in the pool's queue before it was sent to a worker. */
    public void queueWait(long nanos) {
        queueWait.observe(nanos);
    }

    /** A worker process was replaced. */
    public void restart(RestartReason reason) {
        restarts[reason.ordinal()]++;
    }

    // ---- IPC

    /** {@code channel}, counting the frames sent through it. */
    public IpcChannel counting(IpcChannel channel) {
        return ipc.counting(channel);
    }

    /** {@code listener}, counting the frames it receives. */
    public IpcChannel.Listener counting(IpcChannel.Listener listener) {
        return ipc.counting(listener);
    }

    // ---- gauges

    /** Starts a new sample of the pool's gauges: {@code queued} requests wait, {@code inFlight} are held by workers. */
    public void sampleQueue(int queued, int inFlight) {
        this.queueDepth = queued;
        this.inFlight = inFlight;
        java.util.Arrays.fill(workers, 0);
        residentCount = 0;
    }

    /** One worker in the sample: its state, and its resident memory ({@code -1}: not measured). */
    public void sampleWorker(int id, WorkerState state, long residentBytes) {
        workers[state.ordinal()]++;
        if (residentBytes >= 0) {
            if (resident.length < 2 * (residentCount + 1)) {
                resident = java.util.Arrays.copyOf(resident, 2 * (residentCount + 4));
            }
            resident[2 * residentCount] = id;
            resident[2 * residentCount + 1] = residentBytes;
            residentCount++;
        }
    }

    /** Requests counted with {@code status} (for tests). */
    long requests(int status) {
        return byStatus[status];
    }
}
