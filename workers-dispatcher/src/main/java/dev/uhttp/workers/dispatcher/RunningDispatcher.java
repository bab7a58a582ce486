package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.lifecycle.DispatcherRuntime;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A dispatcher that runs: what {@link DispatcherConfig#start()} returns, and what {@code onStart} and
 * {@code onIdle} receive. It has the bound ports, the running pools ({@link PoolHandle}), status,
 * metrics, reload, and stop. Methods marked "loop thread" may only be called from hooks and loop
 * routes (or tasks given to {@link #execute}).
 */
public final class RunningDispatcher {
    private final DispatcherConfig config;
    private final HookCalls hooks;
    private final DispatcherRuntime runtime;

    RunningDispatcher(DispatcherConfig config) {
        this.config = config;
        this.hooks = new HookCalls(config, this);
        this.runtime = new DispatcherRuntime(config, config.http, config.accessLog, hooks, config.loopRoutes);
    }

    DispatcherRuntime runtime() {
        return runtime;
    }

    /** The configuration it runs. */
    public DispatcherConfig config() {
        return config;
    }

    /** The port plain HTTP (or HTTPS, when it replaces it) listens on; useful with {@code port(0)}. */
    public int port() {
        return runtime.port();
    }

    /** The bound port of the named listener {@code name}. */
    public int port(String name) {
        return runtime.port(name);
    }

    /** The separate HTTPS port, when {@code httpsPort} was set. */
    public int httpsPort() {
        return runtime.httpsPort();
    }

    /** This dispatcher's name among its peers ({@code nodeName}, else the host name and process id). */
    public String nodeName() {
        return runtime.nodeName();
    }

    /** Whether the lame duck after SIGTERM has begun ({@code lameDuck}): readiness says 503, routes are served. */
    public boolean inLameDuck() {
        return runtime.inLameDuck();
    }

    /** The name of the IPC provider in use. */
    public String ipcProvider() {
        return runtime.ipcProviderName();
    }

    /** The running pool named {@code name}. */
    public PoolHandle pool(String name) {
        for (PoolRuntime p : runtime.pools()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no pool named '" + name + "'");
    }

    /** The running pools, in routing order. */
    public List<PoolHandle> pools() {
        return List.copyOf(runtime.pools());
    }

    /** The running pool that would serve {@code path} (by its routes, else the fallback pool), or null. */
    public PoolHandle poolFor(String path) {
        return runtime.poolFor(path);
    }

    /**
     * Queues forwarded work at the pool that serves its route, as a {@code POST} (its answer dropped), or
     * drops it with a WARNING when no pool serves it, that pool is degraded, or 10 000 pieces of such
     * work wait there already: what happens to forwarded work without an {@code onForward} hook. Loop thread.
     */
    public void forward(ForwardedWork work) {
        hooks.queue(runtime.poolFor(work.route()), work);
    }

    /**
     * Requests pending and the state of every pool, for monitoring; serialises to JSON as is.
     *
     * @param pending requests waiting or in flight across all pools
     * @param pools   each pool's status
     */
    public record Status(int pending, List<PoolStatus> pools) {
    }

    /** The dispatcher's status. Loop thread. */
    public Status status() {
        List<PoolStatus> list = new ArrayList<>();
        for (PoolRuntime p : runtime.pools()) {
            list.add(p.status());
        }
        return new Status(runtime.pending(), list);
    }

    /**
     * A snapshot of the dispatcher's metrics (requests by pool and status, latencies, queues, workers,
     * restarts, connections, IPC frames, event loop lag), consistent as of one moment. Any thread: off
     * the loop thread the snapshot is taken there and waited for (at most 5 s). Served to Prometheus by
     * the {@code metricsRoute}.
     */
    public Metrics metrics() {
        return runtime.metrics();
    }

    /**
     * The bytes the dispatcher holds for requests and responses right now: response output its clients
     * have not read, request bodies being received or waiting for their worker, and frames queued for
     * the workers. Loop thread.
     */
    public long bufferedBytes() {
        return runtime.bufferedBytes();
    }

    /** Access log lines dropped because its writer fell behind (its queue was full) or could not write. */
    public long accessLogDropped() {
        return runtime.accessLogDropped();
    }

    /** Reopens the access log file by its path, as SIGUSR1 does (after logrotate moved it away). */
    public void reopenAccessLog() {
        runtime.reopenAccessLog();
    }

    /** Replaces every worker of every pool, rolling, as SIGHUP does (see {@link PoolHandle#reload()}). */
    public void reload() {
        runtime.reload();
    }

    /**
     * Watches a channel of your own in the dispatcher's loop (the reference's register_reader and
     * register_writer); {@code callback} runs on the loop thread when it is ready for {@code ops}. Loop thread.
     */
    public SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> callback) throws IOException {
        return runtime.register(channel, ops, callback);
    }

    /** Runs {@code task} on the loop thread; any thread. */
    public void execute(Runnable task) {
        runtime.execute(task);
    }

    /** Logs a record as the dispatcher, with {@code {}} placeholders (see {@link dev.uhttp.workers.api.Logger#format}). */
    public void log(LogLevel level, String message, Object... args) {
        hooks.log(level, "dispatcher", message, args);
    }

    /**
     * Shuts down gracefully (as on SIGTERM): stop accepting, wait for pending responses up to the
     * shutdown timeout, answer 503 to the rest, stop the workers. Off the loop thread it waits until
     * done; from a hook it returns at once.
     */
    public void stop() {
        runtime.stop();
    }

    /** Waits until it has stopped; false when {@code timeout} passed first. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return runtime.awaitStopped(timeout.toMillis());
    }

    /** Whether it has stopped. */
    public boolean isStopped() {
        return runtime.isStopped();
    }

    @Override
    public String toString() {
        return "RunningDispatcher[" + config + "]";
    }
}
