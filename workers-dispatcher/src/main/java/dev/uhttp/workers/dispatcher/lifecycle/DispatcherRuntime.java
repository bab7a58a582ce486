package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.DispatcherConfig;
import dev.uhttp.workers.dispatcher.Metrics;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.accesslog.AccessLogSettings;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.HttpHandler;
import dev.uhttp.workers.dispatcher.http.HttpLimits;
import dev.uhttp.workers.dispatcher.http.HttpServer;
import dev.uhttp.workers.dispatcher.http.ListenerScope;
import dev.uhttp.workers.dispatcher.launch.ClassDataArchives;
import dev.uhttp.workers.dispatcher.launch.ProcessSpawner;
import dev.uhttp.workers.dispatcher.launch.WorkerLauncher;
import dev.uhttp.workers.dispatcher.metrics.DispatcherMetrics;
import dev.uhttp.workers.dispatcher.pool.PoolContext;
import dev.uhttp.workers.dispatcher.pool.PoolHooks;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import dev.uhttp.workers.dispatcher.pool.PoolTimers;
import dev.uhttp.workers.dispatcher.routing.PoolRoutes;
import dev.uhttp.workers.dispatcher.routing.Router;
import dev.uhttp.workers.dispatcher.routing.SyncRoutes;
import dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes;
import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A running dispatcher: startup, the loop, signals and shutdown. Built from a {@code DispatcherConfig}
 * when it is started or run; runs once.
 *
 * <p><b>States.</b> {@code NEW} until started; {@code RUNNING} while it serves; on SIGTERM, SIGINT or
 * {@link #stop()}, {@code DRAINING}: no new connections, open streams ended, pending requests get up
 * to the shutdown timeout to be answered; then {@code STOPPING}: the rest get 503, workers are asked
 * to stop and killed after 5 s, and the last answers get up to 1 s to reach their clients; then
 * {@code STOPPED}, and the loop ends.
 */
public final class DispatcherRuntime implements PoolContext {
    static final String LOGGER = "dispatcher";

    /** The dispatcher's life, in order. */
    enum State { NEW, RUNNING, DRAINING, STOPPING, STOPPED }

    final DispatcherConfig config;
    private final HttpLimits http;
    private final AccessLogSettings accessLog;
    private final DispatcherHooks hooks;
    private final List<SyncRoutes.Route> loopRoutes;
    volatile State state = State.NEW;
    SelectorLoop loop;
    HttpServer server;
    private IpcServer ipcServer;
    private IpcProvider ipcProvider;
    private ExecutorService launcher;
    private ClassDataArchives archives = ClassDataArchives.off();
    private Router router;
    private final Observability observability = new Observability();
    private final DispatcherMetrics metrics = observability.metrics();
    private final List<PoolRuntime> pools = new ArrayList<>();
    private int pending;
    private final Map<String, Integer> namedPorts = new java.util.concurrent.ConcurrentHashMap<>();
    private final CompletableFuture<Void> startedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> stoppedFuture = new CompletableFuture<>();
    private final GracefulShutdown shutdown;
    private ClusterLink cluster;
    private Thread loopThread;

    /**
     * The runtime of {@code config}, calling {@code hooks}; its components that are internal types are
     * given beside it: the HTTP engine's limits, the access log (null: none) and the loop routes.
     */
    public DispatcherRuntime(DispatcherConfig config, HttpLimits http, AccessLogSettings accessLog,
                             DispatcherHooks hooks, List<SyncRoutes.Route> loopRoutes) {
        this.config = config;
        this.http = http;
        this.accessLog = accessLog;
        this.hooks = hooks;
        this.loopRoutes = loopRoutes;
        this.shutdown = new GracefulShutdown(this); // reads the configuration
    }

    // ------------------------------------------------------------------ running

    /** Starts and serves on this thread until shut down. */
    public void run() {
        Signals.onTermination(this::requestShutdown, this::stop);
        Signals.onHangup(this::reload);
        Signals.onUser1(this::reopenAccessLog);
        startup();
        loopThread = Thread.currentThread();
        runLoop();
    }

    /** Starts on a background thread; returns once listening and the workers are launching. */
    public void start() {
        Thread t = new Thread(() -> {
            try {
                startup();
            } catch (RuntimeException e) {
                startedFuture.completeExceptionally(e);
                stoppedFuture.complete(null);
                return;
            }
            runLoop();
        }, "uhttp-dispatcher");
        loopThread = t;
        t.start();
        try {
            startedFuture.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    /** Shuts down gracefully (as on SIGTERM) and waits until done, unless called on the loop thread. */
    public void stop() {
        if (state == State.NEW) {
            return;
        }
        loop.execute(shutdown::begin);
        if (Thread.currentThread() != loopThread) {
            try {
                stoppedFuture.get(config.shutdownTimeout().toMillis() + 15_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("dispatcher did not stop", e);
            }
        }
    }

    /** Waits until the dispatcher has stopped (its loop ended); false when {@code timeoutMillis} passed first. */
    public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
        try {
            stoppedFuture.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Whether the dispatcher has stopped. */
    public boolean isStopped() {
        return stoppedFuture.isDone();
    }

    private void requestShutdown() {
        SelectorLoop l = loop;
        if (l != null) {
            l.execute(shutdown::terminate);
        }
    }

    /** Whether the lame duck after SIGTERM has begun (readiness answers 503; routes are still served). */
    public boolean inLameDuck() {
        return shutdown.inLameDuck();
    }

    private void startup() {
        if (state != State.NEW) {
            throw new IllegalStateException("a dispatcher runs once");
        }
        SyncRoutes syncRoutes = new SyncRoutes(loopRoutes);
        try {
            StaticRoutes statics = config.staticRoutes().isEmpty() ? null : new StaticRoutes(config.staticRoutes());
            loop = new SelectorLoop(this);
            loop.bindToCurrentThread();
            ipcProvider = IpcProviders.select(config.ipc().orElse(null));
            int maxFrame = (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(FrameCodec.DEFAULT_MAX_FRAME, http.maxContentLength() + (1 << 20)));
            ipcServer = ipcProvider.openServer(new IpcServer.Options(new FrameCodec(maxFrame), loop, this));
            server = new HttpServer(loop, http, new HttpHandler() {
                        @Override
                        public void handle(HttpExchange exchange) {
                            router.handle(exchange);
                        }

                        @Override
                        public long streamBodyLimit(String method, String path, String listener, long length) {
                            return router.streamBodyLimit(method, path, listener, length);
                        }
                    },
                    this);
            observability.startAccessLog(accessLog, hooks);
            server.reusePort(config.reusePort());
            // TLS in one place: the listener it is bound with. With an httpsPort, it is that port's only.
            SSLContext ssl = config.sslContext().orElse(null);
            server.bind(new InetSocketAddress(config.address(), config.port()), config.httpsPort().isEmpty() ? ssl : null);
            if (config.httpsPort().isPresent()) {
                server.bind(new InetSocketAddress(config.address(), config.httpsPort().getAsInt()), ssl);
            }
            for (DispatcherConfig.Listener l : config.listeners()) {
                namedPorts.put(l.name(), server.bind(new InetSocketAddress(l.address(), l.port()), l.ssl(), l.name()).getPort());
            }
            launcher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "uhttp-worker-launcher");
                t.setDaemon(true);
                return t;
            });
            WorkerLauncher commands = new WorkerLauncher();
            archives = ClassDataArchives.open(config.classDataArchives().orElse(null), config.pools(), commands, this);
            commands.archives(archives);
            Map<String, String> env = Map.of("WORKERS_MAX_FRAME", Integer.toString(maxFrame));
            PoolTimers timers = PoolTimers.of(loop);
            for (WorkerPool spec : config.pools()) {
                pools.add(new PoolRuntime(spec, this, timers,
                        new ProcessSpawner(spec, ipcServer, launcher, commands, env, loop), metrics.pool(spec.name())));
            }
            cluster = new ClusterLink(config.nodeName(), loop, pools, hooks);
            cluster.open(config.cluster().orElse(null));
            if (!cluster.isLocal()) {
                metrics.cluster(cluster::stats);
            }
            router = new Router(() -> state == State.RUNNING, statics, config.staticOptions(), syncRoutes,
                    new PoolRoutes(pools), hooks, () -> pending, config.maxPending(), metrics);
            config.readinessRoute().ifPresent(path -> router.readinessRoute(path, shutdown::answerReadiness));
            config.metricsRoute().ifPresent(path -> metrics.route(path, ListenerScope.of(config.metricsListeners())));
            observability.wire(server, pools, loop, () -> state != State.STOPPED);
        } catch (IOException e) {
            closeQuietly();
            throw new IllegalStateException("cannot start the dispatcher: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        state = State.RUNNING;
        pools.forEach(PoolRuntime::start);
        scheduleIdle();
        List<String> urls = server.urls(); // one line per listener; the first says what serves behind it
        log(LogLevel.INFO, LOGGER, "listening on {} ({} IPC), {} pool(s)", urls.get(0), ipcProvider.name(), pools.size());
        urls.subList(1, urls.size()).forEach(url -> log(LogLevel.INFO, LOGGER, "listening on {}", url));
        hooks.onStart();
        startedFuture.complete(null);
    }

    /** A snapshot of the metrics, taken on the loop thread (see {@link DispatcherMetrics#snapshotOn}). */
    public Metrics metrics() {
        return observability.snapshot(loop, stoppedFuture.isDone());
    }

    private void scheduleIdle() {
        loop.schedule(config.idleInterval().toMillis(), () -> {
            if (state == State.RUNNING) {
                hooks.onIdle();
                scheduleIdle();
            }
        });
    }

    private void runLoop() {
        loop.bindToCurrentThread();
        try {
            while (state != State.STOPPED) {
                loop.runOnce(1000);
            }
        } catch (IOException | RuntimeException e) {
            log(LogLevel.CRITICAL, LOGGER, "event loop failed", e);
            pools.forEach(PoolRuntime::killAll);
        } finally {
            closeQuietly();
            stoppedFuture.complete(null);
        }
    }

    private void closeQuietly() {
        if (server != null) {
            server.close();
        }
        if (ipcServer != null) {
            try {
                ipcServer.close();
            } catch (IOException e) {
                log(LogLevel.WARNING, LOGGER, "closing IPC: {}", e.toString());
            }
        }
        if (launcher != null) {
            launcher.shutdownNow();
        }
        archives.close();
        observability.close();
        if (cluster != null) {
            cluster.close();
        }
        pools.forEach(PoolRuntime::killAll);
        if (loop != null) {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ PoolContext

    @Override
    public void log(LogLevel level, String logger, String message, Object... args) {
        hooks.log(level, logger, message, args);
    }

    @Override
    public void workerLog(LogLevel level, String logger, String message) {
        hooks.workerLog(level, logger, message);
    }

    @Override
    public void pendingChanged(int delta) {
        pending += delta;
    }

    @Override
    public PoolHooks hooks() {
        return hooks;
    }

    @Override
    public void clusterBroadcast(String pool, String method, String path, String[] headers, byte[] body) {
        cluster.publish(pool, method, path, headers, body);
    }

    /** Replaces every worker of every pool (rolling; SIGHUP does the same). */
    public void reload() {
        loop.execute(() -> {
            if (state == State.RUNNING) {
                pools.forEach(PoolRuntime::reload);
            }
        });
    }

    /** Reopens the access log file by its path (SIGUSR1); any thread. */
    public void reopenAccessLog() {
        observability.reopenAccessLog();
    }

    /** Access log lines dropped so far (0 without an access log). */
    public long accessLogDropped() {
        return observability.accessLogDropped();
    }

    @Override
    public long bufferedBodyLimit() {
        return http.maxContentLength();
    }

    @Override
    public long streamPauseBytes() {
        return http.lowWaterMark();
    }

    // ------------------------------------------------------------------ for the Dispatcher's accessors

    public boolean isStarted() {
        return state != State.NEW;
    }

    /** The bound port (the first listener's). */
    public int port() {
        return server.localPorts().get(0);
    }

    /** The bound port of the named listener {@code name}. */
    public int port(String name) {
        Integer port = namedPorts.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no listener named '" + name + "'");
        }
        return port;
    }

    /** The separate HTTPS port. */
    public int httpsPort() {
        return server.localPorts().get(1);
    }

    public String nodeName() {
        return config.nodeName();
    }

    public String ipcProviderName() {
        return ipcProvider == null ? null : ipcProvider.name();
    }

    /** What the dispatcher holds in memory for requests and responses, in bytes (loop thread). */
    public long bufferedBytes() {
        long n = server.bufferedBytes();
        for (PoolRuntime p : pools) {
            n += p.channelBacklog();
        }
        return n;
    }

    /** Requests waiting or in flight across all pools. */
    public int pending() {
        return pending;
    }

    /** The running pools, in routing order. */
    public List<PoolRuntime> pools() {
        return pools;
    }

    /** The pool that would serve {@code path}, or null. */
    public PoolRuntime poolFor(String path) {
        return router.poolFor(path);
    }

    public SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> callback) throws IOException {
        return loop.register(channel, ops, callback::accept);
    }

    public void execute(Runnable task) {
        loop.execute(task);
    }
}
