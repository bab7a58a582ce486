package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.dispatcher.lifecycle.DispatcherRuntime;
import dev.uhttp.workers.dispatcher.lifecycle.DispatcherSettings;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import dev.uhttp.workers.dispatcher.pool.PoolSpec;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dispatcher: one process, one selector loop, owning every client connection and every worker
 * channel. It serves static files and {@link LoopRoute} handlers itself, checks requests with
 * {@link #doCheck}, and hands the rest to the first {@link WorkerPool} whose routes match (else the
 * fallback pool, else 404).
 *
 * <pre>{@code
 * public class MyDispatcher extends Dispatcher {
 *     @Override
 *     protected void doCheck(Exchange client) {
 *         if (!"secret".equals(client.header("x-api-key"))) {
 *             client.respond(401, Map.of("error", "unauthorized"));
 *             throw new RejectRequest();
 *         }
 *     }
 *
 *     @LoopRoute("/health")
 *     public void health(Exchange client) {
 *         client.respond(Map.of("status", "ok"));
 *     }
 *
 *     public static void main(String[] args) {
 *         new MyDispatcher()
 *             .port(8080)
 *             .pool(WorkerPool.of(ItemWorker.class).workers(4).routes("/api/**"))
 *             .staticRoute("/static/", Path.of("static"))
 *             .run();
 *     }
 * }
 * }</pre>
 *
 * <p>Configure it before {@link #run()} or {@link #start()}; the configuration is checked then, and a
 * mistake fails at once with a message naming it. From then on the settings are fixed (a setter
 * throws); what may change at run time goes through {@link #pool(String)}. Hooks and sync handlers
 * run on the loop thread and must not block. A subclass's package must be open (or exported) to {@code uhttp.workers.dispatcher}
 * so its {@link LoopRoute} methods can be called.
 */
public class Dispatcher extends DispatcherConfig {
    private static final String LOGGER = "dispatcher";

    private final LogOutput output = LogOutput.standardError();
    /** Set once by run() or start(); null before. */
    private volatile DispatcherRuntime runtime;

    /** A dispatcher with the reference's defaults: port 8080 on all addresses, no pools. */
    public Dispatcher() {
    }

    // ------------------------------------------------------------------ hooks

    /**
     * Checks a request before it is queued for a worker pool (not for static files or sync handlers).
     * To refuse it, answer the client and throw {@link RejectRequest}. Another exception answers 500.
     */
    protected void doCheck(Exchange client) throws Exception {
    }

    /**
     * Checks a request for a {@link LoopRoute} route before its handler runs (the reference's
     * {@code do_check_sync}); the default checks nothing, as {@link #doCheck} covers pool routes only.
     * To refuse, answer the client and throw {@link RejectRequest}; another exception answers 500.
     */
    protected void doCheckSync(Exchange client) throws Exception {
    }

    /**
     * Called when a request is accepted for a pool, after {@link #doCheck}, before it is queued (the
     * reference's {@code on_request_accepted}). What it returns reaches the worker as
     * {@code request.context()}, e.g. the user {@code doCheck} authenticated: maps, lists, strings,
     * numbers, booleans or null (the default). Another value, or an exception, answers 500.
     */
    protected Object onRequestAccepted(long requestId, Exchange client, PoolHandle pool) throws Exception {
        return null;
    }

    /**
     * Called when a worker forwards fire-and-forget work ({@code Worker.forward(route, data)}, the
     * reference's {@code forward}), with its route and its data as the worker encoded it (JSON, text, bytes).
     * The default queues it at the pool that serves {@code route} as a {@code POST} (its answer is
     * dropped), or drops it with a WARNING when no pool serves the route, or that pool is degraded, or
     * 10 000 pieces of fire-and-forget work wait there already.
     */
    protected void onForward(ForwardedWork work) {
        String route = work.route();
        PoolHandle target = running().poolFor(route);
        if (target == null) {
            logAs(LogLevel.WARNING, LOGGER, "forward to {} dropped: no pool serves it", route);
        } else if (!((PoolRuntime) target).forward(route, work.rawHeaders(), work.rawBody())) {
            logAs(LogLevel.WARNING, LOGGER, "forward to {} dropped: pool {} is degraded or its queue is full", route,
                    target.name());
        }
    }

    /**
     * Called after a static route answered {@code path} (the reference's {@code on_static_served}):
     * {@code status} 200 for a file (which the engine may have turned into 304 or 206), 404 for none.
     */
    protected void onStaticServed(Exchange client, String path, int status) {
    }

    /**
     * Called after a worker's answer was sent to the client, e.g. to forward results with {@link PoolHandle#send}.
     * A body of 256 KiB or more crosses the dispatcher in pieces (it is never held whole): its
     * response comes here when its head is sent, with an empty body.
     */
    protected void onResponse(WorkerResponse response, PoolRequest pending) {
    }

    /** Called once on the loop thread after startup, before the first request. */
    protected void onStart() {
    }

    /**
     * Called exactly once for every request handed to a pool, when the pool lets go of it, with the
     * reason (the reference's {@code on_pending_removed}). Loop thread.
     */
    protected void onPendingRemoved(long requestId, PoolRequest pending, RemovalReason reason) {
    }

    /**
     * Called when a worker process ended without being asked to (the reference's {@code on_worker_died}).
     *
     * @param reason   {@code died}, {@code stuck}, {@code startup_timeout}, {@code channel_failed} or
     *                 {@code parked} (exited with the pool's permanent-failure status)
     * @param exitCode the process's exit status
     * @param victims  the requests it held, already answered 502
     */
    protected void onWorkerDied(String pool, int workerId, String reason, int exitCode, List<PoolRequest> victims) {
    }

    /** Called about every {@link #idleInterval} on the loop thread, for periodic work. */
    protected void onIdle() {
    }

    /**
     * Every log record of the dispatcher and its workers. The default writes to standard error: with a
     * timestamp and colours on a terminal, with syslog priority prefixes ({@code <3>}...) otherwise.
     * Called on the loop thread; override to forward to a logging framework.
     */
    protected void onLog(String name, LogLevel level, String message) {
        output.write(name, level, message);
    }

    /** Logs a record as the dispatcher, with {@code {}} placeholders (see {@link Logger#format}). */
    public final void log(LogLevel level, String message, Object... args) {
        logAs(level, LOGGER, message, args);
    }

    final void logAs(LogLevel level, String name, String message, Object... args) {
        if (level.value() < logLevel().value()) {
            return; // not even formatted
        }
        workerLog(level, name, message, args);
    }

    /** A record a worker sent: already filtered by its pool's {@code logLevel}. */
    final void workerLog(LogLevel level, String name, String message, Object... args) {
        try {
            onLog(name, level, Logger.format(message, args));
        } catch (RuntimeException e) {
            output.write(LOGGER, LogLevel.ERROR, "onLog failed: " + e);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts and serves until SIGTERM or SIGINT (or {@link #stop()}), then shuts down gracefully and
     * returns: stop accepting, wait for pending responses up to the shutdown timeout, answer 503 to the
     * rest, stop the workers and kill those that do not exit. A setup that fails the startup checks (a
     * worker class or {@code @LoopRoute} handler the runtime cannot use, an unknown or missing IPC provider)
     * is logged as one CRITICAL line, without a stack trace, and the JVM exits with status 2; other
     * startup failures (a port in use) are thrown.
     */
    public void run() {
        DispatcherRuntime[] runtime = new DispatcherRuntime[1];
        StartupChecks.orExit(() -> runtime[0] = freeze(), line -> logAs(LogLevel.CRITICAL, LOGGER, "{}", line));
        runtime[0].run();
    }

    /**
     * Starts on a background thread and returns once listening and the workers are launching.
     *
     * @throws IllegalArgumentException (or {@link IllegalStateException}) before any worker is launched,
     *                                  with a one-line message naming the fix, for a setup that cannot work
     */
    public Dispatcher start() {
        freeze().start();
        return this;
    }

    /** Replaces every worker of every pool, rolling, as SIGHUP does (see {@link PoolHandle#reload()}). */
    public void reload() {
        running().reload();
    }

    /** Reopens the access log file by its path, as SIGUSR1 does (after logrotate moved it away). */
    public void reopenAccessLog() {
        running().reopenAccessLog();
    }

    /** Access log lines dropped because its writer fell behind (its queue was full) or could not write. */
    public long accessLogDropped() {
        return running().accessLogDropped();
    }

    /** Shuts down gracefully (as on SIGTERM) and waits until done. */
    public void stop() {
        DispatcherRuntime r = runtime;
        if (r != null) {
            r.stop();
        }
    }

    /** Checks the settings, fixes them and those of every pool, and makes the runtime that runs them. */
    private synchronized DispatcherRuntime freeze() {
        if (runtime != null) {
            throw new IllegalStateException("a dispatcher runs once");
        }
        DispatcherSettings settings = fix();
        List<PoolSpec> specs = new ArrayList<>();
        for (WorkerPool p : poolSettings()) {
            specs.add(p.freeze(settings.http().maxContentLength()));
        }
        runtime = new DispatcherRuntime(settings, specs, new HookBridge(this), this);
        return runtime;
    }

    // ------------------------------------------------------------------ while running

    /** The port plain HTTP (or HTTPS, when it replaces it) listens on; useful with {@code port(0)}. */
    public int port() {
        return running().port();
    }

    /** The bound port of the named listener {@code name} (see {@link #listener}). */
    public int port(String name) {
        return running().port(name);
    }

    /** The separate HTTPS port, when {@link #httpsPort} was set. */
    public int httpsPortBound() {
        return running().httpsPort();
    }

    /** The pools' settings, in routing order. */
    public List<WorkerPool> pools() {
        return List.copyOf(poolSettings());
    }

    /** The running pool named {@code name}. */
    public PoolHandle pool(String name) {
        for (PoolRuntime p : running().pools()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no pool named '" + name + "'");
    }

    /** The running pool that would serve {@code path} (by its routes, else the fallback pool), or null. */
    public PoolHandle poolFor(String path) {
        return running().poolFor(path);
    }

    /** The name of the IPC provider in use. */
    public String ipcProvider() {
        DispatcherRuntime r = runtime;
        return r == null ? null : r.ipcProviderName();
    }

    /**
     * Requests pending and the state of every pool, for monitoring; serialises to JSON as is.
     *
     * @param pending requests waiting or in flight across all pools
     * @param pools   each pool's status
     */
    public record Status(int pending, List<PoolStatus> pools) {
    }

    /** The dispatcher's status (loop thread: hooks and sync handlers). */
    public Status status() {
        List<PoolStatus> list = new ArrayList<>();
        for (PoolRuntime p : running().pools()) {
            list.add(p.status());
        }
        return new Status(running().pending(), list);
    }

    /**
     * A snapshot of the dispatcher's metrics (requests by pool and status, latencies, queues, workers,
     * restarts, connections, IPC frames, event loop lag), consistent as of one moment: read it, or
     * bridge it to a metrics registry of your own. Callable from any thread: off the loop thread the
     * snapshot is taken there and waited for (at most 5 s). Serve it to Prometheus with {@link #metricsRoute}.
     */
    public Metrics metrics() {
        return running().metrics();
    }

    /**
     * The bytes the dispatcher holds for requests and responses right now: response output its clients
     * have not read, request bodies being received or waiting for their worker (streamed bodies in
     * pieces), and frames queued for the workers. Bounded by connections x per-connection limits, not
     * by body sizes. Loop thread only (hooks, sync handlers, {@link #execute}).
     */
    public long bufferedBytes() {
        return running().bufferedBytes();
    }

    /**
     * Watches a channel of your own in the dispatcher's loop (the reference's register_reader and
     * register_writer); {@code callback} runs on the loop thread when it is ready for {@code ops}.
     * Loop thread only (call it from a hook, e.g. {@link #onStart()}).
     */
    public SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> callback) throws IOException {
        return running().register(channel, ops, callback);
    }

    /** Runs {@code task} on the loop thread; callable from any thread. */
    public void execute(Runnable task) {
        running().execute(task);
    }

    private DispatcherRuntime running() {
        DispatcherRuntime r = runtime;
        if (r == null || !r.isStarted()) {
            throw new IllegalStateException("the dispatcher is not running: call start() or run() first");
        }
        return r;
    }
}
