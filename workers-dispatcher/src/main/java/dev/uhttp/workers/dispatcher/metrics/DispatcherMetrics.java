package dev.uhttp.workers.dispatcher.metrics;

import dev.uhttp.workers.dispatcher.Metrics;
import dev.uhttp.workers.dispatcher.http.ExchangeObserver;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.ListenerScope;
import dev.uhttp.workers.dispatcher.http.ServedBy;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dispatcher's metrics registry. Everything is counted on the loop thread into plain fields and
 * arrays of the {@link PoolMetrics} the router and pools resolved up front: no lock, no lookup, no
 * allocation per request. A {@link #snapshot()} is taken on the loop thread too (the dispatcher posts
 * it there when asked from another thread), so it is consistent: every counter as of one moment.
 *
 * <p>A request is counted once, when its exchange ends ({@link ExchangeObserver}): by the label the
 * router set ({@link HttpExchange#servedBy(ServedBy)}), its status, the time from its last byte received to
 * its response's last byte written, and the response bytes written.
 */
public final class DispatcherMetrics implements ExchangeObserver {
    private final IpcCounters ipc = new IpcCounters();
    private final PoolMetrics staticFiles = new PoolMetrics("static", ServedBy.Route.STATIC, ipc);
    private final PoolMetrics sync = new PoolMetrics("sync", ServedBy.Route.SYNC, ipc);
    private final PoolMetrics none = new PoolMetrics("none", ServedBy.Route.NONE, ipc);
    /** The metrics route: counted under {@code sync}, as it is answered on the loop like a sync handler. */
    private final ServedBy metricsRoute = new ServedBy("sync", ServedBy.Route.METRICS, sync);
    private final List<PoolMetrics> pools = new ArrayList<>();
    private final Histogram loopLag = new Histogram(Histogram.LAG_SECONDS);
    private Runnable sampleGauges = () -> { };
    private String routePath;
    private ListenerScope routeListeners = ListenerScope.EVERY;
    private List<String> connectionStates = List.of();
    private int[] connections = new int[0];
    private java.util.function.Supplier<dev.uhttp.workers.dispatcher.cluster.ClusterBus.Stats> cluster;

    /** The metrics of worker pool {@code name}, registered here. */
    public PoolMetrics pool(String name) {
        PoolMetrics m = new PoolMetrics(name, ServedBy.Route.POOL, ipc);
        pools.add(m);
        return m;
    }

    /** Who serves the requests a static route takes. */
    public ServedBy staticFiles() {
        return staticFiles.servedBy();
    }

    /** Who serves the requests a sync route takes. */
    public ServedBy sync() {
        return sync.servedBy();
    }

    /** Who serves the requests the metrics route takes (counted under {@code sync}). */
    public ServedBy metricsRoute() {
        return metricsRoute;
    }

    /** Serves the metrics at {@code path} (null: nowhere), on {@code listeners}. */
    public void route(String path, ListenerScope listeners) {
        this.routePath = path;
        this.routeListeners = listeners;
    }

    /** Whether {@code path} is the metrics route. */
    public boolean isRoute(String path) {
        return path.equals(routePath);
    }

    /** The listeners the metrics route is served on. */
    public ListenerScope routeListeners() {
        return routeListeners;
    }

    /** Runs before each snapshot, on the loop thread, to update the gauges (pools' queues and workers, connections). */
    public void gaugeSampler(Runnable sampler) {
        this.sampleGauges = sampler;
    }

    /** The connections by state, for the snapshot being taken: {@code counts[i]} in {@code states.get(i)}. */
    public void sampleConnections(List<String> states, int[] counts) {
        this.connectionStates = states;
        this.connections = counts;
    }

    @Override
    public void exchangeEnded(HttpExchange exchange, boolean complete) {
        if (!complete && exchange.receivedNanos() == 0) {
            return; // a request cut short was never a request
        }
        PoolMetrics m = exchange.servedBy().counters() instanceof PoolMetrics p ? p : none;
        // Answered before its streamed body completed: timed from its head instead.
        long since = exchange.receivedNanos() != 0 ? exchange.receivedNanos() : exchange.startNanos();
        m.ended(exchange.status(), System.nanoTime() - since, exchange.bytesSent());
    }

    /** Reports the cluster bus's counters too (uhttp_cluster_*), read from {@code stats} at each snapshot. */
    public void cluster(java.util.function.Supplier<dev.uhttp.workers.dispatcher.cluster.ClusterBus.Stats> stats) {
        this.cluster = stats;
    }

    /** A loop timer fired {@code nanos} late. */
    public void loopLag(long nanos) {
        loopLag.observe(nanos);
    }

    // ------------------------------------------------------------------ snapshot

    /**
     * A snapshot taken on {@code loop}'s thread: at once when called there (or when the loop has
     * {@code ended}), else posted to it and waited for, up to 5 s (a loop blocked longer fails the call).
     */
    public Metrics snapshotOn(SelectorLoop loop, boolean ended) {
        if (ended || loop.inEventLoop()) {
            return snapshot();
        }
        CompletableFuture<Metrics> taken = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                taken.complete(snapshot());
            } catch (RuntimeException e) {
                taken.completeExceptionally(e);
            }
        });
        try {
            return taken.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the metrics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot take the metrics: the event loop did not answer (" + e + ")", e);
        }
    }

    /** Every metric as of now. Loop thread. */
    public Metrics snapshot() {
        sampleGauges.run();
        List<PoolMetrics> all = new ArrayList<>(pools);
        all.add(staticFiles);
        all.add(sync);
        all.add(none);
        List<Metrics.Family> families = new ArrayList<>();

        List<Metrics.Sample> s = new ArrayList<>();
        for (PoolMetrics p : all) {
            for (int code = 0; code < p.byStatus.length; code++) {
                if (p.byStatus[code] != 0) {
                    s.add(sample("uhttp_requests_total", p.byStatus[code], "pool", p.name, "code", Integer.toString(code)));
                }
            }
        }
        family(families, "uhttp_requests_total", Metrics.Type.COUNTER,
                "HTTP requests answered, by pool (a worker pool, static, sync, or none) and status code "
                        + "(499: the client left before the answer)", s);

        s = new ArrayList<>();
        for (PoolMetrics p : all) {
            p.duration.addSamples("uhttp_request_duration_seconds", p.poolLabel, s);
        }
        family(families, "uhttp_request_duration_seconds", Metrics.Type.HISTOGRAM,
                "Time in the dispatcher from a request's last byte received to its response's last byte written", s);

        s = new ArrayList<>();
        for (PoolMetrics p : pools) {
            p.queueWait.addSamples("uhttp_queue_wait_seconds", p.poolLabel, s);
        }
        family(families, "uhttp_queue_wait_seconds", Metrics.Type.HISTOGRAM,
                "Time a request waited in its pool's queue for a worker", s);

        s = new ArrayList<>();
        for (PoolMetrics p : pools) {
            s.add(new Metrics.Sample("uhttp_requests_in_flight", p.poolLabel, p.inFlight));
        }
        family(families, "uhttp_requests_in_flight", Metrics.Type.GAUGE,
                "Requests held by a pool's workers (in a handler, deferred or streaming)", s);

        s = new ArrayList<>();
        for (PoolMetrics p : pools) {
            s.add(new Metrics.Sample("uhttp_queue_depth", p.poolLabel, p.queueDepth));
        }
        family(families, "uhttp_queue_depth", Metrics.Type.GAUGE, "Requests waiting in a pool's queue for a worker", s);

        s = new ArrayList<>();
        for (PoolMetrics p : pools) {
            for (WorkerState state : WorkerState.values()) {
                s.add(sample("uhttp_workers", p.workers[state.ordinal()], "pool", p.name, "state", state.label));
            }
        }
        family(families, "uhttp_workers", Metrics.Type.GAUGE, "Worker processes of a pool, by state", s);

        s = new ArrayList<>();
        for (PoolMetrics p : pools) {
            for (RestartReason r : RestartReason.values()) {
                s.add(sample("uhttp_worker_restarts_total", p.restarts[r.ordinal()], "pool", p.name, "reason", r.label));
            }
        }
        family(families, "uhttp_worker_restarts_total", Metrics.Type.COUNTER,
                "Worker processes replaced, by reason: failures (died, stuck, startup_failed, channel_failed, parked) "
                        + "and planned replacements (recycled_*, reload)", s);

        s = new ArrayList<>();
        for (PoolMetrics p : pools) {
            for (int i = 0; i < p.residentCount; i++) {
                s.add(sample("uhttp_worker_resident_bytes", p.resident[2 * i + 1], "pool", p.name,
                        "worker", Long.toString(p.resident[2 * i])));
            }
        }
        family(families, "uhttp_worker_resident_bytes", Metrics.Type.GAUGE,
                "Resident memory of a worker process at its last sample (Linux VmRSS)", s);

        s = new ArrayList<>();
        for (int i = 0; i < connectionStates.size(); i++) {
            s.add(sample("uhttp_connections", connections[i], "state", connectionStates.get(i)));
        }
        family(families, "uhttp_connections", Metrics.Type.GAUGE,
                "Open client connections, by state (reading a request, processing: waiting for answers, "
                        + "writing: blocked on the client, idle keep-alive, closing)", s);

        s = new ArrayList<>();
        for (PoolMetrics p : all) {
            s.add(new Metrics.Sample("uhttp_response_bytes_total", p.poolLabel, p.responseBytes));
        }
        family(families, "uhttp_response_bytes_total", Metrics.Type.COUNTER,
                "Response bytes written to clients (head and body), by pool", s);

        family(families, "uhttp_ipc_frames_total", Metrics.Type.COUNTER,
                "IPC frames between the dispatcher and its workers, by direction (sent: to workers)",
                List.of(sample("uhttp_ipc_frames_total", ipc.sent, "direction", "sent"),
                        sample("uhttp_ipc_frames_total", ipc.received, "direction", "received")));

        if (cluster != null) {
            clusterFamilies(cluster.get(), families);
        }

        s = new ArrayList<>();
        loopLag.addSamples("uhttp_event_loop_lag_seconds", Map.of(), s);
        family(families, "uhttp_event_loop_lag_seconds", Metrics.Type.HISTOGRAM,
                "How late the event loop's timers fire (a periodic 100 ms timer): a loop blocked by slow work shows here",
                s);
        return new Metrics(families);
    }

    private static void clusterFamilies(dev.uhttp.workers.dispatcher.cluster.ClusterBus.Stats c, List<Metrics.Family> out) {
        family(out, "uhttp_cluster_connected", Metrics.Type.GAUGE, "1 while the cluster bus is connected, else 0",
                List.of(sample("uhttp_cluster_connected", c.connected() ? 1 : 0)));
        family(out, "uhttp_cluster_messages_total", Metrics.Type.COUNTER,
                "Cluster bus messages, by direction (out: broadcasts handed to the bus; in: received, own ones included; "
                        + "dropped: not sent while disconnected)",
                List.of(sample("uhttp_cluster_messages_total", c.messagesOut(), "direction", "out"),
                        sample("uhttp_cluster_messages_total", c.messagesIn(), "direction", "in"),
                        sample("uhttp_cluster_messages_total", c.dropped(), "direction", "dropped")));
        family(out, "uhttp_cluster_reconnects_total", Metrics.Type.COUNTER,
                "Connections to the cluster bus made again after one was lost or refused",
                List.of(sample("uhttp_cluster_reconnects_total", c.reconnects())));
    }

    private static void family(List<Metrics.Family> out, String name, Metrics.Type type, String help,
                               List<Metrics.Sample> samples) {
        out.add(new Metrics.Family(name, help, type, samples));
    }

    private static Metrics.Sample sample(String name, double value, String... labels) {
        return new Metrics.Sample(name, Labels.of(labels), value);
    }
}
