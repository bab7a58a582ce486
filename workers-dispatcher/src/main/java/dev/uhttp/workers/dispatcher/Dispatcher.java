package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.api.internal.RouteTable;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.HttpServer;
import dev.uhttp.workers.dispatcher.http.HttpServerConfig;
import dev.uhttp.workers.dispatcher.http.JsonErrors;
import dev.uhttp.workers.dispatcher.staticfiles.MimeTypes;
import dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes;
import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The dispatcher: one process, one selector loop, owning every client connection and every worker
 * channel. It serves static files and {@link Sync} handlers itself, checks requests with
 * {@link #doCheck}, and hands the rest to the first {@link WorkerPool} whose routes match (else the
 * fallback pool, else 404).
 *
 * <pre>{@code
 * public class MyDispatcher extends Dispatcher {
 *     @Override
 *     protected void doCheck(Client client) {
 *         if (!"secret".equals(client.header("x-api-key"))) {
 *             client.respond(Map.of("error", "unauthorized"), 401);
 *             throw new RejectRequest();
 *         }
 *     }
 *
 *     @Sync("/health")
 *     public void health(Client client) {
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
 * mistake fails at once with a message naming it. Hooks and sync handlers run on the loop thread and
 * must not block. A subclass's package must be open (or exported) to {@code uhttp.workers.dispatcher}
 * so its {@link Sync} methods can be called.
 */
public class Dispatcher {
    private static final String LOGGER = "dispatcher";

    private enum State { NEW, RUNNING, DRAINING, STOPPING, STOPPED }

    // ---- configuration
    private int port = 8080;
    private String address = "0.0.0.0";
    private Integer httpsPort;
    private SSLContext sslContext;
    private final List<WorkerPool> pools = new ArrayList<>();
    private final Map<String, Path> staticRoutes = new LinkedHashMap<>();
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private int maxPending = 1000;
    private String ipcName;
    private Path classDataDirectory = ClassDataArchives.defaultDirectory();
    private Duration idleInterval = Duration.ofSeconds(1);
    private final HttpServerConfig.Builder http = HttpServerConfig.builder();

    // ---- runtime (loop thread unless noted)
    private final LogOutput output = LogOutput.standardError();
    private volatile State state = State.NEW;
    private SelectorLoop loop;
    private HttpServer server;
    private IpcServer ipcServer;
    private IpcProvider ipcProvider;
    private ExecutorService launcher;
    private ClassDataArchives archives = ClassDataArchives.off();
    private StaticRoutes statics;
    private final RouteTable<Method> syncRoutes = new RouteTable<>();
    private final List<PoolRuntime> runtimes = new ArrayList<>();
    private PoolRuntime fallback;
    private long nextId = 1;
    private int pending;
    private long drainDeadline;
    private final CompletableFuture<Void> startedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> stoppedFuture = new CompletableFuture<>();
    private Thread loopThread;

    /** A dispatcher with the reference's defaults: port 8080 on all addresses, no pools. */
    public Dispatcher() {
    }

    // ------------------------------------------------------------------ configuration

    /** Listen port (default 8080; 0 picks a free port, see {@link #port()}). */
    public Dispatcher port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return this;
    }

    /** Listen address (default {@code 0.0.0.0}; {@code ::} is IPv6 and IPv4 together, {@code ::1} IPv6 loopback). */
    public Dispatcher address(String address) {
        this.address = Objects.requireNonNull(address, "address");
        return this;
    }

    /** Adds worker pools; the first whose routes match a path gets its requests. */
    public Dispatcher pool(WorkerPool... pools) {
        for (WorkerPool p : pools) {
            this.pools.add(Objects.requireNonNull(p, "pool"));
        }
        return this;
    }

    /** Serves files below {@code directory} under the URL prefix {@code urlPrefix} (e.g. {@code /static/}). */
    public Dispatcher staticRoute(String urlPrefix, Path directory) {
        if (urlPrefix == null || !urlPrefix.startsWith("/")) {
            throw new IllegalArgumentException("static route prefix must start with '/': '" + urlPrefix + "'");
        }
        staticRoutes.put(urlPrefix, Objects.requireNonNull(directory, "directory"));
        return this;
    }

    /** Time to wait for pending responses on shutdown (default 10 s). */
    public Dispatcher shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Objects.requireNonNull(timeout, "shutdownTimeout");
        return this;
    }

    /** Requests waiting or in flight across all pools before new ones get 503 (default 1000). */
    public Dispatcher maxPending(int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1");
        }
        this.maxPending = maxPending;
        return this;
    }

    /**
     * Serves HTTPS with {@code context}: on {@link #port} instead of plain HTTP, or on its own port when
     * {@link #httpsPort} is set too.
     */
    public Dispatcher sslContext(SSLContext context) {
        this.sslContext = context;
        return this;
    }

    /** A separate HTTPS port next to plain HTTP on {@link #port} (needs {@link #sslContext}). */
    public Dispatcher httpsPort(int httpsPort) {
        this.httpsPort = httpsPort;
        return this;
    }

    /**
     * The IPC provider by name ({@code unixsocket}, {@code pipe}); by default the system property
     * {@code workers.ipc}, then the environment variable {@code WORKERS_IPC}, then the best available.
     */
    public Dispatcher ipc(String providerName) {
        this.ipcName = providerName;
        return this;
    }

    /**
     * Where class data archives of worker JVMs are kept (AppCDS: a restarted worker maps its classes
     * instead of loading them, which roughly halves a restart), or null to turn them off. Default:
     * {@code $XDG_CACHE_HOME/uhttp-workers/cds}, else {@code ~/.cache/uhttp-workers/cds}, made with
     * mode 0700. An archive is created once per build and pool configuration by a short training JVM
     * that runs no user code, after the pool's workers are first ready; it is used by the workers
     * launched after that. Unused where it cannot apply (a runtime without a base CDS archive, classes
     * in directories rather than jars, a pool whose JVM options set class data sharing themselves).
     */
    public Dispatcher classDataArchives(Path directory) {
        this.classDataDirectory = directory;
        return this;
    }

    /** How often {@link #onIdle()} runs (default 1 s). */
    public Dispatcher idleInterval(Duration interval) {
        this.idleInterval = Objects.requireNonNull(interval, "idleInterval");
        return this;
    }

    /** Largest request body (default 1 MiB); larger ones get 413. */
    public Dispatcher maxContentLength(int bytes) {
        http.maxContentLength(bytes);
        return this;
    }

    /** Longest request line (default 8 KiB); longer ones get 414. */
    public Dispatcher maxRequestLine(int bytes) {
        http.maxRequestLine(bytes);
        return this;
    }

    /** Largest header block (default 16 KiB); larger ones get 431. */
    public Dispatcher maxHeaderBytes(int bytes) {
        http.maxHeaderBytes(bytes);
        return this;
    }

    /** Most header fields in a request (default 100); more get 431. */
    public Dispatcher maxHeaders(int count) {
        http.maxHeaders(count);
        return this;
    }

    /** Idle time before a keep-alive connection is closed (default 30 s). */
    public Dispatcher keepAliveTimeout(Duration timeout) {
        http.keepAliveTimeout(timeout);
        return this;
    }

    /** Time a client has to send a request's headers (and body) before 408 (default 10 s). */
    public Dispatcher headerTimeout(Duration timeout) {
        http.headerTimeout(timeout);
        return this;
    }

    /** Requests served on one connection before it is closed (default 1000). */
    public Dispatcher maxRequestsPerConnection(int count) {
        http.maxRequestsPerConnection(count);
        return this;
    }

    /** Open client connections above which no new ones are accepted until some close (default 10000). */
    public Dispatcher maxConnections(int count) {
        http.maxConnections(count);
        return this;
    }

    /**
     * Output buffered for one streaming client before the stream is dropped (default 1 MiB). Back-pressure:
     * over half of it the stream's worker is told to hold that stream's output ({@code StreamFlow}) until
     * the client has read it down; over all of it the connection is dropped and the worker's
     * {@code onDisconnect} is called.
     */
    public Dispatcher maxStreamBuffer(int bytes) {
        http.maxStreamBuffer(bytes);
        return this;
    }

    // ------------------------------------------------------------------ hooks

    /**
     * Checks a request before it is queued for a worker pool (not for static files or sync handlers).
     * To refuse it, answer the client and throw {@link RejectRequest}. Another exception answers 500.
     */
    protected void doCheck(Client client) throws Exception {
    }

    /** Called after a worker's answer was sent to the client, e.g. to forward results with {@link WorkerPool#send}. */
    protected void onResponse(WorkerResponse response, PendingRequest pending) {
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
        log(level, LOGGER, message, args);
    }

    final void log(LogLevel level, String name, String message, Object... args) {
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
     * worker class or {@code @Sync} handler the runtime cannot use, an unknown or missing IPC provider)
     * is logged as one CRITICAL line, without a stack trace, and the JVM exits with status 2; other
     * startup failures (a port in use) are thrown.
     */
    public void run() {
        installSignalHandlers();
        StartupChecks.orExit(this::startup, line -> log(LogLevel.CRITICAL, LOGGER, "{}", line));
        loopThread = Thread.currentThread();
        runLoop();
    }

    /**
     * Starts on a background thread and returns once listening and the workers are launching.
     *
     * @throws IllegalArgumentException (or {@link IllegalStateException}) before any worker is launched,
     *                                  with a one-line message naming the fix, for a setup that cannot work
     */
    public Dispatcher start() {
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
        return this;
    }

    /** Shuts down gracefully (as on SIGTERM) and waits until done. */
    public void stop() {
        if (state == State.NEW) {
            return;
        }
        loop.execute(this::beginShutdown);
        if (Thread.currentThread() != loopThread) {
            try {
                stoppedFuture.get(shutdownTimeout.toMillis() + 15_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("dispatcher did not stop", e);
            }
        }
    }

    /** The port plain HTTP (or HTTPS, when it replaces it) listens on; useful with {@code port(0)}. */
    public int port() {
        return server.localPorts().get(0);
    }

    /** The separate HTTPS port, when {@link #httpsPort} was set. */
    public int httpsPortBound() {
        return server.localPorts().get(1);
    }

    /** The pools, in routing order. */
    public List<WorkerPool> pools() {
        return List.copyOf(pools);
    }

    /** The pool named {@code name}. */
    public WorkerPool pool(String name) {
        for (WorkerPool p : pools) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no pool named '" + name + "'");
    }

    /** The pool that would serve {@code path} (by its routes, else the fallback pool), or null. */
    public WorkerPool poolFor(String path) {
        PoolRuntime r = findPool(path);
        return r == null ? null : r.config;
    }

    /** The name of the IPC provider in use. */
    public String ipcProvider() {
        return ipcProvider == null ? null : ipcProvider.name();
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
        for (PoolRuntime r : runtimes) {
            list.add(r.status());
        }
        return new Status(pending, list);
    }

    /**
     * Watches a channel of your own in the dispatcher's loop (the reference's register_reader and
     * register_writer); {@code callback} runs on the loop thread when it is ready for {@code ops}.
     * Loop thread only (call it from a hook, or before {@link #start()} via {@link #onStart()}).
     */
    public SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> callback) throws IOException {
        return loop.register(channel, ops, callback::accept);
    }

    /** Called once on the loop thread after startup, before the first request. */
    protected void onStart() {
    }

    /** Runs {@code task} on the loop thread; callable from any thread. */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    // ------------------------------------------------------------------ startup

    private void startup() {
        if (state != State.NEW) {
            throw new IllegalStateException("a dispatcher runs once");
        }
        StartupChecks.check(getClass(), pools, ipcName);
        validate();
        collectSyncRoutes();
        try {
            statics = staticRoutes.isEmpty() ? null : new StaticRoutes(staticRoutes);
            loop = new SelectorLoop((what, error) -> log(LogLevel.ERROR, LOGGER, "{}: {}", what, error, error));
            loop.bindToCurrentThread();
            ipcProvider = IpcProviders.select(ipcName);
            if (sslContext != null) {
                http.sslContext(sslContext).tlsMode(httpsPort == null
                        ? HttpServerConfig.TlsMode.REPLACE_PLAIN : HttpServerConfig.TlsMode.SEPARATE_PORT);
            }
            HttpServerConfig config = http.build();
            int maxFrame = (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(FrameCodec.DEFAULT_MAX_FRAME, config.maxContentLength() + (1 << 20)));
            FrameCodec codec = new FrameCodec(maxFrame);
            ipcServer = ipcProvider.openServer(new IpcServer.Options(codec, loop,
                    message -> log(LogLevel.WARNING, LOGGER, "{}", message)));
            server = new HttpServer(loop, config, this::handle, (level, message) -> log(level, "http", "{}", message));
            server.bind(new InetSocketAddress(address, port), sslContext != null && httpsPort == null);
            if (httpsPort != null) {
                server.bind(new InetSocketAddress(address, httpsPort), true);
            }
            launcher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "uhttp-worker-launcher");
                t.setDaemon(true);
                return t;
            });
            WorkerLauncher commands = new WorkerLauncher();
            archives = ClassDataArchives.open(classDataDirectory, pools, commands,
                    (level, message, args) -> log(level, LOGGER, message, args));
            commands.archives(archives);
            Map<String, String> env = Map.of("WORKERS_MAX_FRAME", Integer.toString(maxFrame));
            for (WorkerPool p : pools) {
                PoolRuntime r = new PoolRuntime(p, this, loop, ipcServer, launcher, commands, env);
                runtimes.add(r);
                p.runtime = r;
                if (p.isFallback()) {
                    fallback = r;
                }
            }
        } catch (IOException e) {
            closeQuietly();
            throw new IllegalStateException("cannot start the dispatcher: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        state = State.RUNNING;
        for (PoolRuntime r : runtimes) {
            r.start();
        }
        scheduleIdle();
        log(LogLevel.INFO, LOGGER, "listening on {}:{} ({} IPC), {} pool(s)", address, port(),
                ipcProvider.name(), runtimes.size());
        try {
            onStart();
        } catch (RuntimeException e) {
            log(LogLevel.ERROR, LOGGER, "onStart failed", e);
        }
        startedFuture.complete(null);
    }

    private void validate() {
        Set<String> names = new HashSet<>();
        int fallbacks = 0;
        for (WorkerPool p : pools) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two pools are named '" + p.name() + "': give one a name()");
            }
            if (p.isFallback()) {
                fallbacks++;
            }
            Class<?> wc = p.workerClass();
            if (!Modifier.isPublic(wc.getModifiers()) || Modifier.isAbstract(wc.getModifiers())) {
                throw new IllegalArgumentException("worker class " + wc.getName() + " of pool '" + p.name()
                        + "' must be public and not abstract");
            }
            try {
                if (!Modifier.isPublic(wc.getConstructor().getModifiers())) {
                    throw new NoSuchMethodException();
                }
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("worker class " + wc.getName() + " of pool '" + p.name()
                        + "' needs a public no-argument constructor", e);
            }
        }
        if (fallbacks > 1) {
            throw new IllegalArgumentException("more than one pool without routes: only one fallback pool is possible");
        }
        if (httpsPort != null && sslContext == null) {
            throw new IllegalArgumentException("httpsPort is set but no sslContext");
        }
        if (idleInterval.isNegative() || idleInterval.isZero()) {
            throw new IllegalArgumentException("idleInterval must be positive");
        }
    }

    private void collectSyncRoutes() {
        for (Method m : getClass().getMethods()) {
            Sync sync = m.getAnnotation(Sync.class);
            if (sync == null) {
                continue;
            }
            String where = "@Sync method " + m.getDeclaringClass().getName() + "." + m.getName();
            if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != Client.class
                    || Modifier.isStatic(m.getModifiers())) {
                throw new IllegalArgumentException(where + " must be an instance method taking one Client");
            }
            syncRoutes.add(sync.value(), sync.methods(), m, where);
        }
    }

    private void scheduleIdle() {
        loop.schedule(idleInterval.toMillis(), () -> {
            if (state == State.RUNNING) {
                try {
                    onIdle();
                } catch (RuntimeException e) {
                    log(LogLevel.ERROR, LOGGER, "onIdle failed", e);
                }
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
            for (PoolRuntime r : runtimes) {
                r.killAll();
            }
        } finally {
            closeQuietly();
            stoppedFuture.complete(null);
        }
    }

    private void installSignalHandlers() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> requestShutdown());
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> requestShutdown());
        } catch (IllegalArgumentException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "uhttp-dispatcher-shutdown"));
        }
    }

    private void requestShutdown() {
        SelectorLoop l = loop;
        if (l != null) {
            l.execute(this::beginShutdown);
        }
    }

    // ------------------------------------------------------------------ shutdown

    private void beginShutdown() {
        if (state != State.RUNNING) {
            return;
        }
        state = State.DRAINING;
        log(LogLevel.INFO, LOGGER, "shutting down: {} request(s) pending", pending);
        server.stopAccepting();
        runtimes.forEach(PoolRuntime::endStreams);
        drainDeadline = System.nanoTime() + shutdownTimeout.toNanos();
        awaitDrained();
    }

    private void awaitDrained() {
        if (pending > 0 && System.nanoTime() - drainDeadline < 0) {
            loop.schedule(20, this::awaitDrained);
            return;
        }
        state = State.STOPPING;
        for (PoolRuntime r : runtimes) {
            r.failAll(503, "Service unavailable: shutting down");
            r.stop();
        }
        long workersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        awaitWorkers(workersDeadline);
    }

    private void awaitWorkers(long deadline) {
        boolean alive = runtimes.stream().anyMatch(PoolRuntime::anyAlive);
        if (alive && System.nanoTime() - deadline < 0) {
            loop.schedule(20, () -> awaitWorkers(deadline));
            return;
        }
        if (alive) {
            log(LogLevel.WARNING, LOGGER, "killing workers that did not stop in time");
            runtimes.forEach(PoolRuntime::killAll);
        }
        awaitConnectionsClosed(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }

    /** Lets the last answers reach their clients: draining connections close after their last response. */
    private void awaitConnectionsClosed(long deadline) {
        server.closeIdleConnections();
        if (server.connectionCount() > 0 && System.nanoTime() - deadline < 0) {
            loop.schedule(20, () -> awaitConnectionsClosed(deadline));
            return;
        }
        state = State.STOPPED;
        log(LogLevel.INFO, LOGGER, "stopped");
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
        for (PoolRuntime r : runtimes) {
            r.killAll();
        }
        if (loop != null) {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ request routing

    private void handle(HttpExchange exchange) {
        if (state != State.RUNNING) {
            answer(exchange, 503, "Service unavailable: shutting down");
            return;
        }
        String path = exchange.path();
        // 1. static files
        if (statics != null && statics.match(path) != null) {
            String method = exchange.method();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.respond(405, new String[] {"Allow", "GET, HEAD", "Content-Type", "application/json"},
                        JsonErrors.body("Method not allowed"));
                return;
            }
            Path file = statics.resolve(path);
            if (file == null) {
                answer(exchange, 404, "Not found");
            } else {
                exchange.respondFile(file, MimeTypes.forPath(file), new String[0]);
            }
            return;
        }
        // 2. sync handlers
        Client client = new Client(exchange);
        RouteTable.Match<Method> sync = syncRoutes.isEmpty() ? null : syncRoutes.find(exchange.method(), path);
        if (sync instanceof RouteTable.Found<Method> found) {
            client.pathParams(found.params());
            invokeSync(found.route().handler(), client);
            return;
        }
        // 3. pools, after doCheck
        PoolRuntime pool = findPool(path);
        if (pool == null) {
            if (sync instanceof RouteTable.MethodNotAllowed<Method> mna) {
                exchange.respond(405, new String[] {"Allow", String.join(", ", mna.allow()),
                        "Content-Type", "application/json"}, JsonErrors.body("Method not allowed"));
            } else {
                answer(exchange, 404, "Not found");
            }
            return;
        }
        try {
            doCheck(client);
        } catch (RejectRequest reject) {
            if (!exchange.isAnswered()) {
                client.respond(reject.data(), reject.status());
            }
            return;
        } catch (Exception e) {
            log(LogLevel.ERROR, LOGGER, "doCheck failed for {} {}", exchange.method(), path, e);
            answer(exchange, 500, JsonErrors.INTERNAL_SERVER_ERROR);
            return;
        }
        if (exchange.isAnswered()) {
            return;
        }
        if (pending >= maxPending) {
            answer(exchange, 503, "Service unavailable: too many pending requests");
            return;
        }
        pool.submit(new Pending(nextId++, client, pool));
    }

    private void invokeSync(Method method, Client client) {
        try {
            method.invoke(this, client);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RejectRequest reject) {
                if (!client.isAnswered()) {
                    client.respond(reject.data(), reject.status());
                }
                return;
            }
            log(LogLevel.ERROR, LOGGER, "sync handler {} failed for {} {}", method.getName(), client.method(),
                    client.path(), cause);
            if (!client.isAnswered()) {
                String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                answer(client.exchange(), 500, message);
            }
        } catch (IllegalAccessException e) {
            log(LogLevel.ERROR, LOGGER, "cannot call sync handler {}: open its package to uhttp.workers.dispatcher",
                    method, e);
            answer(client.exchange(), 500, JsonErrors.INTERNAL_SERVER_ERROR);
        }
    }

    private PoolRuntime findPool(String path) {
        for (PoolRuntime r : runtimes) {
            if (r.config.matches(path)) {
                return r;
            }
        }
        return fallback;
    }

    // ------------------------------------------------------------------ called by pools

    void answer(HttpExchange exchange, int status, String error) {
        exchange.respond(status, JsonErrors.HEADERS, JsonErrors.body(error));
    }

    /** Buffered output of a streaming connection over which its worker is asked to hold back: half the cap. */
    long streamPauseBytes() {
        return server.config().lowWaterMark();
    }

    void pendingChanged(int delta) {
        pending += delta;
    }

    void responded(WorkerResponse response, Pending p) {
        try {
            onResponse(response, new PendingRequest(p.id, p.client, p.pool.config));
        } catch (RuntimeException e) {
            log(LogLevel.ERROR, LOGGER, "onResponse failed", e);
        }
    }
}
