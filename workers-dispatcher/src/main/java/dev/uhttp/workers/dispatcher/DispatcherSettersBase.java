package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The settings of the subclass form ({@code extends Dispatcher}): each one sets the same setting of the
 * {@link DispatcherBuilder} the dispatcher is built from (see there), and returns the dispatcher.
 */
abstract class DispatcherSettersBase {
    private final DispatcherBuilder builder = DispatcherConfig.builder();
    private volatile boolean started;

    DispatcherSettersBase() {
    }

    private Dispatcher self() {
        return (Dispatcher) this;
    }

    /** The builder, while settings may still change. */
    final DispatcherBuilder builder() {
        if (started) {
            throw new IllegalStateException("the dispatcher has started: its settings are fixed; "
                    + "configure it before run() or start()");
        }
        return builder;
    }

    /** No setting changes from now on. */
    final void fix() {
        started = true;
    }

    /** Listen port (default 8080; 0 picks a free port, see {@link RunningDispatcher#port()}). */
    public Dispatcher port(int port) {
        builder().port(port);
        return self();
    }

    /** Listen address (default {@code 0.0.0.0}; {@code ::} is IPv6 and IPv4 together, {@code ::1} IPv6 loopback). */
    public Dispatcher address(String address) {
        builder().address(address);
        return self();
    }

    /** Adds worker pools; the first whose routes match a path gets its requests. */
    public Dispatcher pool(WorkerPool... pools) {
        builder().pool(pools);
        return self();
    }

    /** See {@link DispatcherBuilder#updatePools}. */
    public Dispatcher updatePools(java.util.function.UnaryOperator<WorkerPool> change) {
        builder().updatePools(change);
        return self();
    }

    /**
     * Serves files below {@code directory} under the URL prefix {@code urlPrefix} (e.g. {@code /static/}),
     * on every listener, or only on the {@link DispatcherBuilder#listener named listeners} given (elsewhere: 404).
     */
    public Dispatcher staticRoute(String urlPrefix, Path directory, String... listeners) {
        builder().staticRoute(urlPrefix, directory, listeners);
        return self();
    }

    /** Serves files below {@code directory} under {@code urlPrefix}, as {@code options} say. */
    public Dispatcher staticRoute(String urlPrefix, Path directory, StaticOptions options) {
        builder().staticRoute(urlPrefix, directory, options);
        return self();
    }

    /**
     * A further address to listen on, named (the reference's named listeners), with plain HTTP; pools
     * ({@code WorkerPool.listeners}), {@code @LoopRoute(listeners)} and static routes can be limited to it,
     * e.g. metrics and admin routes on a listener bound to 127.0.0.1. The dispatcher's own
     * {@link DispatcherBuilder#port}/{@link DispatcherBuilder#address} is the listener {@code "default"}.
     */
    public Dispatcher listener(String name, String address, int port) {
        builder().listener(name, address, port);
        return self();
    }

    /** A further named listener, serving HTTPS with {@code ssl} (null: plain HTTP); see {@link DispatcherBuilder#listener(String, String, int)}. */
    public Dispatcher listener(String name, String address, int port, SSLContext ssl) {
        builder().listener(name, address, port, ssl);
        return self();
    }

    /** Time to wait for pending responses on shutdown (default 10 s). */
    public Dispatcher shutdownTimeout(Duration timeout) {
        builder().shutdownTimeout(timeout);
        return self();
    }

    /** Requests waiting or in flight across all pools before new ones get 503 (default 1000). */
    public Dispatcher maxPending(int maxPending) {
        builder().maxPending(maxPending);
        return self();
    }

    /**
     * Serves HTTPS with {@code context}: on {@link DispatcherBuilder#port} instead of plain HTTP, or on its own port when
     * {@link DispatcherBuilder#httpsPort} is set too.
     */
    public Dispatcher sslContext(SSLContext context) {
        builder().sslContext(context);
        return self();
    }

    /** A separate HTTPS port next to plain HTTP on {@link DispatcherBuilder#port} (needs {@link DispatcherBuilder#sslContext}). */
    public Dispatcher httpsPort(int httpsPort) {
        builder().httpsPort(httpsPort);
        return self();
    }

    /**
     * The IPC provider by name ({@code unixsocket}, {@code pipe}); by default the system property
     * {@code workers.ipc}, then the environment variable {@code WORKERS_IPC}, then the best available.
     */
    public Dispatcher ipc(String providerName) {
        builder().ipc(providerName);
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
        builder().classDataArchives(directory);
        return self();
    }

    /**
     * Serves the dispatcher's metrics ({@link RunningDispatcher#metrics()}) at {@code path} in the Prometheus
     * text format (0.0.4), e.g. {@code metricsRoute("/metrics")}. The dispatcher answers it itself, as
     * a sync route, on the loop thread: GET and HEAD only, after {@link DispatcherBuilder#doCheckSync}, before
     * static and sync routes; on every listener, or only on the {@link DispatcherBuilder#listener named listeners} given
     * (elsewhere: 404), e.g. one bound to 127.0.0.1 for the scraper. Off by default.
     */
    public Dispatcher metricsRoute(String path, String... listeners) {
        builder().metricsRoute(path, listeners);
        return self();
    }

    /** How often {@link DispatcherBuilder#onIdle} runs (default 1 s). */
    public Dispatcher idleInterval(Duration interval) {
        builder().idleInterval(interval);
        return self();
    }

    /** Largest request body (default 1 MiB); larger ones get 413. */
    public Dispatcher maxContentLength(long bytes) {
        builder().maxContentLength(bytes);
        return self();
    }

    /** Longest request line (default 8 KiB); longer ones get 414. */
    public Dispatcher maxRequestLine(int bytes) {
        builder().maxRequestLine(bytes);
        return self();
    }

    /** Largest header block (default 16 KiB); larger ones get 431. */
    public Dispatcher maxHeaderBytes(int bytes) {
        builder().maxHeaderBytes(bytes);
        return self();
    }

    /** Most header fields in a request (default 100); more get 431. */
    public Dispatcher maxHeaders(int count) {
        builder().maxHeaders(count);
        return self();
    }

    /** Idle time before a keep-alive connection is closed (default 30 s). */
    public Dispatcher keepAliveTimeout(Duration timeout) {
        builder().keepAliveTimeout(timeout);
        return self();
    }

    /** Time a client has to send a request's headers (and body) before 408 (default 10 s). */
    public Dispatcher headerTimeout(Duration timeout) {
        builder().headerTimeout(timeout);
        return self();
    }

    /** Requests served on one connection before it is closed (default 1000). */
    public Dispatcher maxRequestsPerConnection(int count) {
        builder().maxRequestsPerConnection(count);
        return self();
    }

    /** Open client connections above which no new ones are accepted until some close (default 10000). */
    public Dispatcher maxConnections(int count) {
        builder().maxConnections(count);
        return self();
    }

    /**
     * Output buffered for one streaming client before the stream is dropped (default 1 MiB). Back-pressure:
     * over half of it the stream's worker is told to hold that stream's output ({@code StreamFlow}) until
     * the client has read it down; over all of it the connection is dropped and the worker's
     * {@code onDisconnect} is called.
     */
    public Dispatcher maxStreamBuffer(long bytes) {
        builder().maxStreamBuffer(bytes);
        return self();
    }

    /**
     * Lowest level of the dispatcher's own records (its loop, HTTP engine and pool supervision) that
     * reach {@link DispatcherBuilder#onLog}; default DEBUG (all). Workers' records follow their pool's {@code logLevel}.
     */
    public Dispatcher logLevel(LogLevel level) {
        builder().logLevel(level);
        return self();
    }

    /** See {@link DispatcherBuilder#logTarget}. */
    public Dispatcher logTarget(LogTarget target) {
        builder().logTarget(target);
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
        builder().trustedProxies(proxies);
        return self();
    }

    /**
     * Writes an access log (off by default): one line per response the dispatcher sent, whoever made
     * it (static files, sync handlers, pools, the dispatcher's own 404, 413, 503...), in {@code format},
     * to {@code sink}; the client's address as {@link DispatcherBuilder#trustedProxies} report it. Every response carries
     * an {@code X-Request-Id} (see {@link Exchange#requestId()}), which the JSON format shows.
     */
    public Dispatcher accessLog(AccessLogSink sink, AccessLogFormat format) {
        builder().accessLog(sink, format);
        return self();
    }

    /**
     * Serves the dispatcher's readiness at {@code path} (e.g. {@code /health/ready}), for a load balancer's
     * health check or a Kubernetes readiness probe: GET or HEAD, on every listener, before every other route
     * and without {@code doCheck}; 200 while the dispatcher accepts work and every pool has a ready worker,
     * 503 otherwise (during the {@link DispatcherBuilder#lameDuck} too), with a JSON body
     * {@code {"status": "ready"|"not ready", "reason": ..., "node": ...}}. Off by default. Liveness is
     * whatever route the application gives it (e.g. {@code /health}).
     */
    public Dispatcher readinessRoute(String path) {
        builder().readinessRoute(path);
        return self();
    }

    /**
     * How long the dispatcher stays a lame duck after SIGTERM (default 0: none): the readiness route
     * answers 503 while every other route is still served, so that a load balancer takes the node out;
     * then the graceful shutdown begins. Set it a little longer than the balancer's check interval times
     * its fall count. A second SIGTERM ends it at once.
     */
    public Dispatcher lameDuck(Duration period) {
        builder().lameDuck(period);
        return self();
    }

    /**
     * Binds the listeners with {@code SO_REUSEPORT} (default false), so that several dispatcher processes
     * on one machine share a port and the kernel spreads connections over them, as nginx's workers do.
     * Each process has its own loop and its own pools. Where the OS has no SO_REUSEPORT, the start fails
     * with one line saying so.
     */
    public Dispatcher reusePort(boolean on) {
        builder().reusePort(on);
        return self();
    }

    /**
     * Joins the cluster bus at {@code uri} (e.g. {@code redis://user:password@host:6379}, {@code rediss://...}):
     * a {@link PoolHandle#broadcast} then also reaches the pool of the same name on every other dispatcher
     * of the bus. The bus is a {@link dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider} found with
     * {@link java.util.ServiceLoader} by the URI's scheme (module {@code uhttp.workers.cluster.redis} for
     * Redis). Default: none, a broadcast reaches this process's workers only.
     */
    public Dispatcher cluster(String uri) {
        builder().cluster(uri);
        return self();
    }

    /**
     * This dispatcher's name among its peers (default: the host name and process id), shown by the
     * readiness route and told to the cluster bus.
     */
    public Dispatcher nodeName(String name) {
        builder().nodeName(name);
        return self();
    }
}
