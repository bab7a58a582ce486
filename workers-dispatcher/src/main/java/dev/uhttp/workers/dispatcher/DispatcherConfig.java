package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.http.HttpServerConfig;
import dev.uhttp.workers.dispatcher.launch.ClassDataArchives;
import dev.uhttp.workers.dispatcher.lifecycle.DispatcherSettings;
import dev.uhttp.workers.dispatcher.routing.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The {@link Dispatcher}'s own settings, apart from the running thing: set before {@code run()} or
 * {@code start()}, fixed then (a setter afterwards throws). Its public setters are the Dispatcher's.
 */
abstract class DispatcherConfig {
    private int port = 8080;
    private String address = "0.0.0.0";
    private Integer httpsPort;
    private SSLContext sslContext;
    private final List<WorkerPool> pools = new ArrayList<>();
    private final Map<String, Path> staticRoutes = new LinkedHashMap<>();
    private final Map<String, StaticOptions> staticOptions = new LinkedHashMap<>();
    private final Map<String, DispatcherSettings.Listener> listeners = new LinkedHashMap<>();
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private int maxPending = 1000;
    private String ipcName;
    private Path classDataDirectory = ClassDataArchives.defaultDirectory();
    private Duration idleInterval = Duration.ofSeconds(1);
    private String metricsPath;
    private List<String> metricsListeners = List.of();
    private volatile LogLevel logLevel = LogLevel.DEBUG;
    private TrustedProxies trustedProxies = TrustedProxies.NONE;
    private dev.uhttp.workers.dispatcher.accesslog.AccessLogSettings accessLog;
    private final HttpServerConfig.Builder http = HttpServerConfig.builder();
    private volatile boolean fixed;

    DispatcherConfig() {
    }

    private Dispatcher self() {
        return (Dispatcher) this;
    }

    /** Listen port (default 8080; 0 picks a free port, see {@link Dispatcher#port()}). */
    public Dispatcher port(int port) {
        requireNew();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return self();
    }

    /** Listen address (default {@code 0.0.0.0}; {@code ::} is IPv6 and IPv4 together, {@code ::1} IPv6 loopback). */
    public Dispatcher address(String address) {
        requireNew();
        this.address = Objects.requireNonNull(address, "address");
        return self();
    }

    /** Adds worker pools; the first whose routes match a path gets its requests. */
    public Dispatcher pool(WorkerPool... pools) {
        requireNew();
        for (WorkerPool p : pools) {
            this.pools.add(Objects.requireNonNull(p, "pool"));
        }
        return self();
    }

    /**
     * Serves files below {@code directory} under the URL prefix {@code urlPrefix} (e.g. {@code /static/}),
     * on every listener, or only on the {@link #listener named listeners} given (elsewhere: 404).
     */
    public Dispatcher staticRoute(String urlPrefix, Path directory, String... listeners) {
        return staticRoute(urlPrefix, directory, StaticOptions.defaults().listeners(listeners));
    }

    /** Serves files below {@code directory} under {@code urlPrefix}, as {@code options} say. */
    public Dispatcher staticRoute(String urlPrefix, Path directory, StaticOptions options) {
        requireNew();
        if (urlPrefix == null || !urlPrefix.startsWith("/")) {
            throw new IllegalArgumentException("static route prefix must start with '/': '" + urlPrefix + "'");
        }
        staticRoutes.put(urlPrefix, Objects.requireNonNull(directory, "directory"));
        staticOptions.put(urlPrefix, Objects.requireNonNull(options, "options"));
        return self();
    }

    /**
     * A further address to listen on, named (the reference's named listeners), with plain HTTP; pools
     * ({@code WorkerPool.listeners}), {@code @LoopRoute(listeners)} and static routes can be limited to it,
     * e.g. metrics and admin routes on a listener bound to 127.0.0.1. The dispatcher's own
     * {@link #port}/{@link #address} is the listener {@code "default"}.
     */
    public Dispatcher listener(String name, String address, int port) {
        return listener(name, address, port, null);
    }

    /** A further named listener, serving HTTPS with {@code ssl} (null: plain HTTP); see {@link #listener(String, String, int)}. */
    public Dispatcher listener(String name, String address, int port, SSLContext ssl) {
        requireNew();
        if (name == null || name.isBlank() || name.equals(DispatcherSettings.DEFAULT_LISTENER) || listeners.containsKey(name)) {
            throw new IllegalArgumentException("listener name '" + name + "' is blank, taken, or 'default'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener " + name + ": port out of range: " + port);
        }
        listeners.put(name, new DispatcherSettings.Listener(name, Objects.requireNonNull(address, "address"), port, ssl));
        return self();
    }

    /** Time to wait for pending responses on shutdown (default 10 s). */
    public Dispatcher shutdownTimeout(Duration timeout) {
        requireNew();
        this.shutdownTimeout = Objects.requireNonNull(timeout, "shutdownTimeout");
        return self();
    }

    /** Requests waiting or in flight across all pools before new ones get 503 (default 1000). */
    public Dispatcher maxPending(int maxPending) {
        requireNew();
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1");
        }
        this.maxPending = maxPending;
        return self();
    }

    /**
     * Serves HTTPS with {@code context}: on {@link #port} instead of plain HTTP, or on its own port when
     * {@link #httpsPort} is set too.
     */
    public Dispatcher sslContext(SSLContext context) {
        requireNew();
        this.sslContext = context;
        return self();
    }

    /** A separate HTTPS port next to plain HTTP on {@link #port} (needs {@link #sslContext}). */
    public Dispatcher httpsPort(int httpsPort) {
        requireNew();
        this.httpsPort = httpsPort;
        return self();
    }

    /**
     * The IPC provider by name ({@code unixsocket}, {@code pipe}); by default the system property
     * {@code workers.ipc}, then the environment variable {@code WORKERS_IPC}, then the best available.
     */
    public Dispatcher ipc(String providerName) {
        requireNew();
        this.ipcName = providerName;
        return self();
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
        requireNew();
        this.classDataDirectory = directory;
        return self();
    }

    /**
     * Serves the dispatcher's metrics ({@link Dispatcher#metrics()}) at {@code path} in the Prometheus
     * text format (0.0.4), e.g. {@code metricsRoute("/metrics")}. The dispatcher answers it itself, as
     * a sync route, on the loop thread: GET and HEAD only, after {@link Dispatcher#doCheckSync}, before
     * static and sync routes; on every listener, or only on the {@link #listener named listeners} given
     * (elsewhere: 404), e.g. one bound to 127.0.0.1 for the scraper. Off by default.
     */
    public Dispatcher metricsRoute(String path, String... listeners) {
        requireNew();
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("metricsRoute must be a path starting with '/', got " + path);
        }
        this.metricsPath = path;
        this.metricsListeners = List.of(listeners);
        return self();
    }

    /** How often {@link Dispatcher#onIdle()} runs (default 1 s). */
    public Dispatcher idleInterval(Duration interval) {
        requireNew();
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("idleInterval must be positive, got " + interval);
        }
        this.idleInterval = interval;
        return self();
    }

    /** Largest request body (default 1 MiB); larger ones get 413. */
    public Dispatcher maxContentLength(int bytes) {
        requireNew();
        http.maxContentLength(bytes);
        return self();
    }

    /** Longest request line (default 8 KiB); longer ones get 414. */
    public Dispatcher maxRequestLine(int bytes) {
        requireNew();
        http.maxRequestLine(bytes);
        return self();
    }

    /** Largest header block (default 16 KiB); larger ones get 431. */
    public Dispatcher maxHeaderBytes(int bytes) {
        requireNew();
        http.maxHeaderBytes(bytes);
        return self();
    }

    /** Most header fields in a request (default 100); more get 431. */
    public Dispatcher maxHeaders(int count) {
        requireNew();
        http.maxHeaders(count);
        return self();
    }

    /** Idle time before a keep-alive connection is closed (default 30 s). */
    public Dispatcher keepAliveTimeout(Duration timeout) {
        requireNew();
        http.keepAliveTimeout(timeout);
        return self();
    }

    /** Time a client has to send a request's headers (and body) before 408 (default 10 s). */
    public Dispatcher headerTimeout(Duration timeout) {
        requireNew();
        http.headerTimeout(timeout);
        return self();
    }

    /** Requests served on one connection before it is closed (default 1000). */
    public Dispatcher maxRequestsPerConnection(int count) {
        requireNew();
        http.maxRequestsPerConnection(count);
        return self();
    }

    /** Open client connections above which no new ones are accepted until some close (default 10000). */
    public Dispatcher maxConnections(int count) {
        requireNew();
        http.maxConnections(count);
        return self();
    }

    /**
     * Output buffered for one streaming client before the stream is dropped (default 1 MiB). Back-pressure:
     * over half of it the stream's worker is told to hold that stream's output ({@code StreamFlow}) until
     * the client has read it down; over all of it the connection is dropped and the worker's
     * {@code onDisconnect} is called.
     */
    public Dispatcher maxStreamBuffer(int bytes) {
        requireNew();
        http.maxStreamBuffer(bytes);
        return self();
    }

    /**
     * Lowest level of the dispatcher's own records (its loop, HTTP engine and pool supervision) that
     * reach {@link Dispatcher#onLog}; default DEBUG (all). Workers' records follow their pool's {@code logLevel}.
     */
    public Dispatcher logLevel(LogLevel level) {
        requireNew();
        this.logLevel = Objects.requireNonNull(level, "logLevel");
        return self();
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
    public Dispatcher trustedProxies(String... proxies) {
        requireNew();
        this.trustedProxies = TrustedProxies.of(List.of(proxies));
        return self();
    }


    /**
     * Writes an access log (off by default): one line per response the dispatcher sent, whoever made
     * it (static files, sync handlers, pools, the dispatcher's own 404, 413, 503...), in {@code format},
     * to {@code sink}; the client's address as {@link #trustedProxies} report it. Every response carries
     * an {@code X-Request-Id} (see {@link Exchange#requestId()}), which the JSON format shows.
     */
    public Dispatcher accessLog(AccessLogSink sink, AccessLogFormat format) {
        requireNew();
        Objects.requireNonNull(sink, "sink");
        this.accessLog = new dev.uhttp.workers.dispatcher.accesslog.AccessLogSettings(sink.file(), sink.callback(),
                Objects.requireNonNull(format, "format") == AccessLogFormat.JSON, sink.queueCapacity());
        return self();
    }

    TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    LogLevel logLevel() {
        return logLevel;
    }

    List<WorkerPool> poolSettings() {
        return pools;
    }

    void requireNew() {
        if (fixed) {
            throw new IllegalStateException("the dispatcher has started: its settings are fixed; "
                    + "configure it before run() or start()");
        }
    }

    /** Checks the settings (failing with one line naming the fix) and fixes them. */
    DispatcherSettings fix() {
        StartupChecks.check(self().getClass(), pools, ipcName);
        Map<String, List<String>> staticListeners = new LinkedHashMap<>();
        staticOptions.forEach((prefix, o) -> staticListeners.put(prefix, o.listeners()));
        StartupChecks.listeners(listeners.keySet(), pools, staticListeners, self().getClass());
        if (metricsPath != null) {
            for (String n : metricsListeners) {
                if (!listeners.containsKey(n) && !DispatcherSettings.DEFAULT_LISTENER.equals(n)) {
                    throw new IllegalArgumentException("metricsRoute is limited to listener '" + n
                            + "', which is not configured: add dispatcher.listener(\"" + n + "\", address, port)");
                }
            }
        }
        if (httpsPort != null && sslContext == null) {
            throw new IllegalArgumentException("httpsPort is set but no sslContext");
        }
        StartupChecks.bodyLimits(pools, http.build().maxContentLength());
        if (sslContext != null) {
            http.sslContext(sslContext).tlsMode(httpsPort == null
                    ? HttpServerConfig.TlsMode.REPLACE_PLAIN : HttpServerConfig.TlsMode.SEPARATE_PORT);
        }
        DispatcherSettings settings = new DispatcherSettings(address, port, httpsPort, sslContext, shutdownTimeout,
                maxPending, ipcName, classDataDirectory, idleInterval, http.build(), staticRoutes, staticOptions,
                List.copyOf(listeners.values()),
                metricsPath == null ? null : new DispatcherSettings.MetricsRoute(metricsPath, metricsListeners),
                accessLog);
        fixed = true;
        return settings;
    }
}
