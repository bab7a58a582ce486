package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.accesslog.AccessLogSettings;
import dev.uhttp.workers.dispatcher.http.HttpLimits;
import dev.uhttp.workers.dispatcher.http.HttpServer;
import dev.uhttp.workers.dispatcher.launch.ClassDataArchives;
import dev.uhttp.workers.dispatcher.routing.SyncRoutes;
import dev.uhttp.workers.dispatcher.routing.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Collects a {@link DispatcherConfig} ({@link DispatcherConfig#builder()}): each setting returns this builder; {@link #build()} checks
 * them together. Not thread-safe; a builder can be built more than once.
 */
public final class DispatcherBuilder extends ScaleOutSetters {
    // Package-private: DispatcherConfig's constructor reads them.
    int port = 8080;
    String address = "0.0.0.0";
    Integer httpsPort;
    SSLContext sslContext;
    List<WorkerPool> pools = new ArrayList<>();
    Map<String, Path> staticRoutes = new LinkedHashMap<>();
    Map<String, StaticOptions> staticOptions = new LinkedHashMap<>();
    Map<String, DispatcherConfig.Listener> listeners = new LinkedHashMap<>();
    Duration shutdownTimeout = Duration.ofSeconds(10);
    int maxPending = 1000;
    String ipcName;
    Path classDataDirectory = ClassDataArchives.defaultDirectory();
    Duration idleInterval = Duration.ofSeconds(1);
    String metricsPath;
    List<String> metricsListeners = List.of();
    LogLevel logLevel = LogLevel.DEBUG;
    LogTarget logTarget = LogTarget.STANDARD_ERROR;
    TrustedProxies trustedProxies = TrustedProxies.NONE;
    AccessLogSettings accessLog;
    HttpLimits http = HttpLimits.defaults();

    DispatcherBuilder() {
    }

    /** An independent copy (collections copied; hooks and pools are immutable values). */
    DispatcherBuilder copy() {
        DispatcherBuilder c = new DispatcherBuilder();
        c.port = port;
        c.address = address;
        c.httpsPort = httpsPort;
        c.sslContext = sslContext;
        c.pools = new ArrayList<>(pools);
        c.staticRoutes = new LinkedHashMap<>(staticRoutes);
        c.staticOptions = new LinkedHashMap<>(staticOptions);
        c.listeners = new LinkedHashMap<>(listeners);
        c.shutdownTimeout = shutdownTimeout;
        c.maxPending = maxPending;
        c.ipcName = ipcName;
        c.classDataDirectory = classDataDirectory;
        c.idleInterval = idleInterval;
        c.metricsPath = metricsPath;
        c.metricsListeners = metricsListeners;
        c.logLevel = logLevel;
        c.logTarget = logTarget;
        c.trustedProxies = trustedProxies;
        c.accessLog = accessLog;
        c.http = http;
        copyScaleOutTo(c);
        return c;
    }

    /** The pools added so far. */
    List<WorkerPool> pools() {
        return List.copyOf(pools);
    }

    /** Listen port (default 8080; 0 picks a free port, see {@link RunningDispatcher#port()}). */
    public DispatcherBuilder port(int port) {
        this.port = SettingChecks.requirePort(port, "port");
        return this;
    }

    /** Listen address (default {@code 0.0.0.0}; {@code ::} is IPv6 and IPv4 together, {@code ::1} IPv6 loopback). */
    public DispatcherBuilder address(String address) {
        this.address = SettingChecks.requireText(address, "address");
        return this;
    }

    /** Adds worker pools; the first whose routes match a path gets its requests. */
    public DispatcherBuilder pool(WorkerPool... pools) {
        for (WorkerPool p : pools) {
            this.pools.add(SettingChecks.requireValue(p, "pool"));
        }
        return this;
    }

    /** Replaces every pool added so far with {@code change(pool)}, e.g. {@code updatePools(p -> p.spares(1))}. */
    public DispatcherBuilder updatePools(java.util.function.UnaryOperator<WorkerPool> change) {
        pools.replaceAll(p -> SettingChecks.requireValue(change.apply(p), "updatePools result"));
        return this;
    }

    /**
     * Serves files below {@code directory} under the URL prefix {@code urlPrefix} (e.g. {@code /static/}),
     * on every listener, or only on the {@link #listener named listeners} given (elsewhere: 404).
     */
    public DispatcherBuilder staticRoute(String urlPrefix, Path directory, String... listeners) {
        return staticRoute(urlPrefix, directory, StaticOptions.defaults().listeners(listeners));
    }

    /** Serves files below {@code directory} under {@code urlPrefix}, as {@code options} say. */
    public DispatcherBuilder staticRoute(String urlPrefix, Path directory, StaticOptions options) {
        SettingChecks.requirePath(urlPrefix, "staticRoute prefix");
        staticRoutes.put(urlPrefix, SettingChecks.requireValue(directory, "staticRoute directory"));
        staticOptions.put(urlPrefix, SettingChecks.requireValue(options, "staticRoute options"));
        return this;
    }

    /**
     * A further address to listen on, named (the reference's named listeners), with plain HTTP; pools
     * ({@code WorkerPool.listeners}), {@code @LoopRoute(listeners)} and static routes can be limited to it,
     * e.g. metrics and admin routes on a listener bound to 127.0.0.1. The dispatcher's own
     * {@link #port}/{@link #address} is the listener {@code "default"}.
     */
    public DispatcherBuilder listener(String name, String address, int port) {
        return listener(name, address, port, null);
    }

    /** A further named listener, serving HTTPS with {@code ssl} (null: plain HTTP); see {@link #listener(String, String, int)}. */
    public DispatcherBuilder listener(String name, String address, int port, SSLContext ssl) {
        if (name == null || name.isBlank() || name.equals(HttpServer.DEFAULT_LISTENER) || listeners.containsKey(name)) {
            throw new IllegalArgumentException("listener name must be new, not blank and not 'default', got '" + name + "'");
        }
        listeners.put(name, new DispatcherConfig.Listener(name, SettingChecks.requireText(address, "listener address"),
                SettingChecks.requirePort(port, "listener port"), ssl));
        return this;
    }

    /** Time to wait for pending responses on shutdown (default 10 s). */
    public DispatcherBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = SettingChecks.requireNotNegative(timeout, "shutdownTimeout");
        return this;
    }

    /** Requests waiting or in flight across all pools before new ones get 503 (default 1000). */
    public DispatcherBuilder maxPending(int maxPending) {
        this.maxPending = SettingChecks.requireAtLeast(maxPending, 1, "maxPending");
        return this;
    }

    /**
     * Serves HTTPS with {@code context}: on {@link #port} instead of plain HTTP, or on its own port when
     * {@link #httpsPort} is set too.
     */
    public DispatcherBuilder sslContext(SSLContext context) {
        this.sslContext = context;
        return this;
    }

    /** A separate HTTPS port next to plain HTTP on {@link #port} (needs {@link #sslContext}). */
    public DispatcherBuilder httpsPort(int httpsPort) {
        this.httpsPort = SettingChecks.requirePort(httpsPort, "httpsPort");
        return this;
    }

    /**
     * The IPC provider by name ({@code unixsocket}, {@code pipe}); by default the system property
     * {@code workers.ipc}, then the environment variable {@code WORKERS_IPC}, then the best available.
     */
    public DispatcherBuilder ipc(String providerName) {
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
    public DispatcherBuilder classDataArchives(Path directory) {
        this.classDataDirectory = directory;
        return this;
    }

    /**
     * Serves the dispatcher's metrics ({@link RunningDispatcher#metrics()}) at {@code path} in the Prometheus
     * text format (0.0.4), e.g. {@code metricsRoute("/metrics")}. The dispatcher answers it itself, as
     * a sync route, on the loop thread: GET and HEAD only, after {@link #doCheckSync}, before
     * static and sync routes; on every listener, or only on the {@link #listener named listeners} given
     * (elsewhere: 404), e.g. one bound to 127.0.0.1 for the scraper. Off by default.
     */
    public DispatcherBuilder metricsRoute(String path, String... listeners) {
        this.metricsPath = SettingChecks.requirePath(path, "metricsRoute");
        this.metricsListeners = List.of(listeners);
        return this;
    }

    /** How often {@link #onIdle} runs (default 1 s). */
    public DispatcherBuilder idleInterval(Duration interval) {
        this.idleInterval = SettingChecks.requirePositive(interval, "idleInterval");
        return this;
    }

    /** Largest request body (default 1 MiB); larger ones get 413. */
    public DispatcherBuilder maxContentLength(long bytes) {
        http = http.toBuilder().maxContentLength(
                SettingChecks.requireRange(bytes, 0, HttpLimits.MAX_BODY_ARRAY, "maxContentLength")).build();
        return this;
    }

    /** Longest request line (default 8 KiB); longer ones get 414. */
    public DispatcherBuilder maxRequestLine(int bytes) {
        http = http.toBuilder().maxRequestLine(SettingChecks.requireAtLeast(bytes, 1, "maxRequestLine")).build();
        return this;
    }

    /** Largest header block (default 16 KiB); larger ones get 431. */
    public DispatcherBuilder maxHeaderBytes(int bytes) {
        http = http.toBuilder().maxHeaderBytes(SettingChecks.requireAtLeast(bytes, 1, "maxHeaderBytes")).build();
        return this;
    }

    /** Most header fields in a request (default 100); more get 431. */
    public DispatcherBuilder maxHeaders(int count) {
        http = http.toBuilder().maxHeaders(SettingChecks.requireAtLeast(count, 1, "maxHeaders")).build();
        return this;
    }

    /** Idle time before a keep-alive connection is closed (default 30 s). */
    public DispatcherBuilder keepAliveTimeout(Duration timeout) {
        http = http.toBuilder().keepAliveTimeout(SettingChecks.requirePositive(timeout, "keepAliveTimeout")).build();
        return this;
    }

    /** Time a client has to send a request's headers (and body) before 408 (default 10 s). */
    public DispatcherBuilder headerTimeout(Duration timeout) {
        http = http.toBuilder().headerTimeout(SettingChecks.requirePositive(timeout, "headerTimeout")).build();
        return this;
    }

    /** Requests served on one connection before it is closed (default 1000). */
    public DispatcherBuilder maxRequestsPerConnection(int count) {
        http = http.toBuilder().maxRequestsPerConnection(
                SettingChecks.requireAtLeast(count, 1, "maxRequestsPerConnection")).build();
        return this;
    }

    /** Open client connections above which no new ones are accepted until some close (default 10000). */
    public DispatcherBuilder maxConnections(int count) {
        http = http.toBuilder().maxConnections(SettingChecks.requireAtLeast(count, 1, "maxConnections")).build();
        return this;
    }

    /**
     * Output buffered for one streaming client before the stream is dropped (default 1 MiB). Back-pressure:
     * over half of it the stream's worker is told to hold that stream's output ({@code StreamFlow}) until
     * the client has read it down; over all of it the connection is dropped and the worker's
     * {@code onDisconnect} is called.
     */
    public DispatcherBuilder maxStreamBuffer(long bytes) {
        http = http.toBuilder().maxStreamBuffer(SettingChecks.requireAtLeast(bytes, 2, "maxStreamBuffer")).build();
        return this;
    }

    /**
     * Lowest level of the dispatcher's own records (its loop, HTTP engine and pool supervision) that
     * reach {@link #onLog}; default DEBUG (all). Workers' records follow their pool's {@code logLevel}.
     */
    public DispatcherBuilder logLevel(LogLevel level) {
        this.logLevel = SettingChecks.requireValue(level, "logLevel");
        return this;
    }

    /**
     * Where the default {@link #onLog} sends the records of the dispatcher and its workers: standard
     * error (the default), {@link System.Logger} (so that SLF4J, Logback or Log4j 2 bridged to it get
     * them), or both. See {@link LogTarget}.
     */
    public DispatcherBuilder logTarget(LogTarget target) {
        this.logTarget = SettingChecks.requireValue(target, "logTarget");
        return this;
    }

    /**
     * Proxies whose word about the client is taken (the reference's {@code trusted_proxies}): addresses
     * and CIDR ranges, IPv4 and IPv6 ({@code "127.0.0.1"}, {@code "10.0.0.0/8"}, {@code "fd00::/8"}).
     * Only for a connection from one of them, {@link Exchange#remoteAddress()} (and the worker's
     * {@code request.remoteAddress()}) is the rightmost hop of {@code Forwarded} or
     * {@code X-Forwarded-For} that is not a trusted proxy, and {@link Exchange#isSecure()} follows
     * {@code X-Forwarded-Proto} (or {@code Forwarded}'s {@code proto}). None by default.
     *
     * @throws IllegalArgumentException for a value that is not an address or a range
     */
    public DispatcherBuilder trustedProxies(String... proxies) {
        this.trustedProxies = TrustedProxies.of(List.of(proxies));
        return this;
    }

    /**
     * Writes an access log (off by default): one line per response the dispatcher sent, whoever made
     * it (static files, sync handlers, pools, the dispatcher's own 404, 413, 503...), in {@code format},
     * to {@code sink}; the client's address as {@link #trustedProxies} report it. Every response carries
     * an {@code X-Request-Id} (see {@link Exchange#requestId()}), which the JSON format shows.
     */
    public DispatcherBuilder accessLog(AccessLogSink sink, AccessLogFormat format) {
        SettingChecks.requireValue(sink, "accessLog sink");
        this.accessLog = new AccessLogSettings(sink.file(), sink.callback(),
                SettingChecks.requireValue(format, "accessLog format") == AccessLogFormat.JSON, sink.queueCapacity());
        return this;
    }

    // ------------------------------------------------------------------ build

    /**
     * Checks the configuration as a whole and returns it, immutable.
     *
     * @throws IllegalArgumentException (or {@link IllegalStateException} when no IPC provider is found)
     *                                  with a one-line message naming the fix
     */
    public DispatcherConfig build() {
        StartupChecks.check(pools, ipcName);
        Map<String, List<String>> limited = new LinkedHashMap<>();
        staticOptions.forEach((prefix, o) -> limited.put("static route " + prefix, o.listeners()));
        for (SyncRoutes.Route r : loopRoutes) {
            limited.put("loop route " + r.name(), r.listeners().names());
        }
        if (metricsPath != null) {
            limited.put("metricsRoute", metricsListeners);
        }
        StartupChecks.listeners(listeners.keySet(), pools, limited);
        if (httpsPort != null && sslContext == null) {
            throw new IllegalArgumentException("httpsPort is set but no sslContext: set sslContext(context) too");
        }
        List<WorkerPool> resolved = new ArrayList<>();
        for (WorkerPool p : pools) {
            resolved.add(p.resolved(http.maxContentLength()));
        }
        StartupChecks.bodyLimits(resolved, http.maxContentLength());
        return new DispatcherConfig(this, resolved, nodeName != null ? nodeName : defaultNodeName());
    }

    /** {@link #build()}, then {@link DispatcherConfig#start()}. */
    public RunningDispatcher start() {
        return build().start();
    }

    /**
     * For a {@code main} method: {@link #build()}, then {@link DispatcherConfig#run()}. A configuration
     * that fails the checks is logged as one CRITICAL line, without a stack trace, and the JVM exits with
     * status 2 (as a command-line tool does for bad usage); other failures (a port in use) are thrown.
     */
    public void runMain() {
        DispatcherConfig config;
        try {
            config = build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            StartupChecks.exit(e, hooks.onLog);
            return;
        }
        config.run();
    }
}
