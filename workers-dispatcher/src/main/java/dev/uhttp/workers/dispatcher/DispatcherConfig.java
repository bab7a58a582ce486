package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.accesslog.AccessLogSettings;
import dev.uhttp.workers.dispatcher.http.HttpLimits;
import dev.uhttp.workers.dispatcher.routing.SyncRoutes;
import dev.uhttp.workers.dispatcher.routing.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;

/**
 * Everything a dispatcher is: its settings, its pools, its loop routes and its hooks; immutable, made
 * with a {@link DispatcherBuilder} (the shape of Helidon's {@code WebServer.builder()}):
 *
 * <pre>{@code
 * RunningDispatcher running = DispatcherConfig.builder()
 *         .port(8080)
 *         .pool(WorkerPool.of(ItemWorker.class).workers(4).routes("/api/**"))
 *         .get("/health", ex -> ex.respond(Map.of("status", "ok")))
 *         .doCheck(ex -> {
 *             if (!"secret".equals(ex.header("x-api-key"))) {
 *                 ex.respond(401, Map.of("error", "unauthorized"));
 *                 throw new RejectRequest();
 *             }
 *         })
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>{@link DispatcherBuilder#build()} checks the whole configuration (worker classes, listeners, body limits,
 * the IPC provider) and fails with an {@link IllegalArgumentException} whose message is one line
 * naming the fix. {@link #start()} runs it on a thread of its own and returns the
 * {@link RunningDispatcher}; {@link #run()} serves on the calling thread until SIGTERM or SIGINT. A
 * configuration can be started once per {@link #toBuilder() copy}; it is never changed by running.
 *
 * <p>Each setting is held here once and read back by the accessor of the builder setter's name
 * ({@link #port()}, {@link #maxContentLength()}, {@link #listeners()}, ...); the running dispatcher reads
 * these same values, and its pools read the {@link #pools()} as they are.
 */
public final class DispatcherConfig {
    private final int port;
    private final String address;
    private final Integer httpsPort;
    private final SSLContext sslContext;
    private final List<Listener> listeners;
    private final Duration shutdownTimeout;
    private final int maxPending;
    private final String ipc;
    private final Path classDataArchives;
    private final Duration idleInterval;
    private final Map<String, Path> staticRoutes;
    private final Map<String, StaticOptions> staticOptions;
    private final String metricsRoute;
    private final List<String> metricsListeners;
    private final String readinessRoute;
    private final Duration lameDuck;
    private final boolean reusePort;
    private final String cluster;
    private final String nodeName;
    private final List<WorkerPool> pools;
    final HttpLimits http;
    /** The access log, or null for none. */
    final AccessLogSettings accessLog;
    final List<SyncRoutes.Route> loopRoutes;
    final Hooks hooks;
    final TrustedProxies trustedProxies;
    final LogLevel logLevel;
    final LogTarget logTarget;
    private final DispatcherBuilder source;

    /**
     * A named listener (the reference's named listeners): its name, address and port, and its TLS.
     *
     * @param ssl its TLS, or null for plain HTTP
     */
    public record Listener(String name, String address, int port, SSLContext ssl) {
    }

    /** The configuration {@code b} holds, with its pools as {@code build()} resolved them. */
    DispatcherConfig(DispatcherBuilder b, List<WorkerPool> pools, String nodeName) {
        this.source = b.copy();
        this.port = b.port;
        this.address = b.address;
        this.httpsPort = b.httpsPort;
        this.sslContext = b.sslContext;
        this.listeners = List.copyOf(b.listeners.values());
        this.shutdownTimeout = b.shutdownTimeout;
        this.maxPending = b.maxPending;
        this.ipc = b.ipcName;
        this.classDataArchives = b.classDataDirectory;
        this.idleInterval = b.idleInterval;
        this.staticRoutes = Collections.unmodifiableMap(new LinkedHashMap<>(b.staticRoutes));
        this.staticOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.staticOptions));
        this.metricsRoute = b.metricsPath;
        this.metricsListeners = b.metricsListeners;
        this.readinessRoute = b.readinessPath;
        this.lameDuck = b.lameDuck;
        this.reusePort = b.reusePort;
        this.cluster = b.clusterUri;
        this.nodeName = nodeName;
        this.pools = List.copyOf(pools);
        this.http = b.http;
        this.accessLog = b.accessLog;
        this.loopRoutes = List.copyOf(b.loopRoutes);
        this.hooks = b.hooks.build();
        this.trustedProxies = b.trustedProxies;
        this.logLevel = b.logLevel;
        this.logTarget = b.logTarget;
    }

    /** A builder with the reference's defaults: port 8080 on all addresses, no pools, no routes, no hooks. */
    public static DispatcherBuilder builder() {
        return new DispatcherBuilder();
    }

    /** A builder holding this configuration, to derive another from it. */
    public DispatcherBuilder toBuilder() {
        return source.copy();
    }

    /**
     * Starts on a thread of its own and returns once listening, with the workers launching.
     *
     * @throws IllegalStateException when a port cannot be bound
     */
    public RunningDispatcher start() {
        RunningDispatcher running = new RunningDispatcher(this);
        running.runtime().start();
        return running;
    }

    /**
     * Starts, serves on the calling thread until SIGTERM or SIGINT (or {@link RunningDispatcher#stop()}
     * from a hook), then shuts down gracefully and returns: stop accepting, wait for pending responses up
     * to the shutdown timeout, answer 503 to the rest, stop the workers and kill those that do not exit.
     * SIGHUP reloads every pool; SIGUSR1 reopens the access log.
     *
     * @throws IllegalStateException when a port cannot be bound
     */
    public void run() {
        new RunningDispatcher(this).runtime().run();
    }

    // ------------------------------------------------------------------ the settings, as set

    /** The pools, in routing order, with what depends on the dispatcher resolved ({@code streamBodiesOver}). */
    public List<WorkerPool> pools() {
        return pools;
    }

    /** The configured listen port (0: a free one, see {@link RunningDispatcher#port()}). */
    public int port() {
        return port;
    }

    /** The configured listen address. */
    public String address() {
        return address;
    }

    /** The separate HTTPS port, when set. */
    public OptionalInt httpsPort() {
        return httpsPort == null ? OptionalInt.empty() : OptionalInt.of(httpsPort);
    }

    /** The TLS of {@link #port()} (no {@link #httpsPort()}) or of {@link #httpsPort()}, when set. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** The further named listeners, in the order added. */
    public List<Listener> listeners() {
        return listeners;
    }

    /** Time to wait for pending responses on shutdown. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Requests waiting or in flight across all pools before new ones get 503. */
    public int maxPending() {
        return maxPending;
    }

    /** The IPC provider asked for by name; empty: the default choice. */
    public Optional<String> ipc() {
        return Optional.ofNullable(ipc);
    }

    /** Where class data archives of worker JVMs are kept; empty: off. */
    public Optional<Path> classDataArchives() {
        return Optional.ofNullable(classDataArchives);
    }

    /** How often {@code onIdle} runs. */
    public Duration idleInterval() {
        return idleInterval;
    }

    /** The static routes: URL prefix to directory, in the order added. */
    public Map<String, Path> staticRoutes() {
        return staticRoutes;
    }

    /** How each static route serves, by URL prefix. */
    public Map<String, StaticOptions> staticOptions() {
        return staticOptions;
    }

    /** Where the Prometheus metrics are served; empty: nowhere. */
    public Optional<String> metricsRoute() {
        return Optional.ofNullable(metricsRoute);
    }

    /** The listeners the metrics route is served on (empty: every one). */
    public List<String> metricsListeners() {
        return metricsListeners;
    }

    /** Where readiness is answered; empty: nowhere. */
    public Optional<String> readinessRoute() {
        return Optional.ofNullable(readinessRoute);
    }

    /** How long readiness says 503 after SIGTERM before the graceful shutdown begins. */
    public Duration lameDuck() {
        return lameDuck;
    }

    /** Whether the listeners are bound with {@code SO_REUSEPORT}. */
    public boolean reusePort() {
        return reusePort;
    }

    /** The cluster bus URI; empty: this process alone. */
    public Optional<String> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** This dispatcher's name among its peers (the one set, else the host name and process id). */
    public String nodeName() {
        return nodeName;
    }

    /** Largest request body in bytes. */
    public long maxContentLength() {
        return http.maxContentLength();
    }

    /** Longest request line in bytes. */
    public int maxRequestLine() {
        return http.maxRequestLine();
    }

    /** Largest header block in bytes. */
    public int maxHeaderBytes() {
        return http.maxHeaderBytes();
    }

    /** Most header fields in a request. */
    public int maxHeaders() {
        return http.maxHeaders();
    }

    /** Idle time before a keep-alive connection is closed. */
    public Duration keepAliveTimeout() {
        return http.keepAliveTimeout();
    }

    /** Time a client has to send a request's headers (and between two reads of its body). */
    public Duration headerTimeout() {
        return http.headerTimeout();
    }

    /** Requests served on one connection before it is closed. */
    public int maxRequestsPerConnection() {
        return http.maxRequestsPerConnection();
    }

    /** Open client connections above which no new ones are accepted until some close. */
    public int maxConnections() {
        return http.maxConnections();
    }

    /** Output buffered for one streaming client before the stream is dropped. */
    public long maxStreamBuffer() {
        return http.maxStreamBuffer();
    }

    /** The proxies whose word about the client is taken, as given (addresses and CIDR ranges). */
    public List<String> trustedProxies() {
        return trustedProxies.specs();
    }

    /** Lowest level of the dispatcher's own records that reach {@code onLog}. */
    public LogLevel logLevel() {
        return logLevel;
    }

    /** Where the default {@code onLog} sends records. */
    public LogTarget logTarget() {
        return logTarget;
    }

    @Override
    public String toString() {
        return "DispatcherConfig[" + address + ":" + port + ", pools " + pools + "]";
    }
}
