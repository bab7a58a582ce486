package dev.uhttp.workers.dispatcher;

import java.time.Duration;

/**
 * The settings of a {@link DispatcherBuilder} for running several dispatchers side by side (behind a
 * load balancer, on one port, joined by a cluster bus): a file of their own, as they move as one group.
 */
abstract class ScaleOutSetters extends RoutesAndHooks {
    // Package-private: DispatcherConfig's constructor reads them.
    String readinessPath;
    Duration lameDuck = Duration.ZERO;
    boolean reusePort;
    String clusterUri;
    String nodeName;

    ScaleOutSetters() {
    }

    private DispatcherBuilder self() {
        return (DispatcherBuilder) this;
    }

    void copyScaleOutTo(ScaleOutSetters c) {
        c.readinessPath = readinessPath;
        c.lameDuck = lameDuck;
        c.reusePort = reusePort;
        c.clusterUri = clusterUri;
        c.nodeName = nodeName;
        copyRoutesAndHooksTo(c);
    }

    /**
     * Serves the dispatcher's readiness at {@code path} (e.g. {@code /health/ready}), for a load balancer's
     * health check or a Kubernetes readiness probe: GET or HEAD, on every listener, before every other route
     * and without {@code doCheck}; 200 while the dispatcher accepts work and every pool has a ready worker,
     * 503 otherwise (during the {@link #lameDuck} too), with a JSON body
     * {@code {"status": "ready"|"not ready", "reason": ..., "node": ...}}. Off by default. Liveness is
     * whatever route the application gives it (e.g. {@code /health}).
     */
    public DispatcherBuilder readinessRoute(String path) {
        this.readinessPath = SettingChecks.requirePath(path, "readinessRoute");
        return self();
    }

    /**
     * How long the dispatcher stays a lame duck after SIGTERM (default 0: none): the readiness route
     * answers 503 while every other route is still served, so that a load balancer takes the node out;
     * then the graceful shutdown begins. Set it a little longer than the balancer's check interval times
     * its fall count. A second SIGTERM ends it at once.
     */
    public DispatcherBuilder lameDuck(Duration period) {
        this.lameDuck = SettingChecks.requireNotNegative(period, "lameDuck");
        return self();
    }

    /**
     * Binds the listeners with {@code SO_REUSEPORT} (default false), so that several dispatcher processes
     * on one machine share a port and the kernel spreads connections over them, as nginx's workers do.
     * Each process has its own loop and its own pools. Where the OS has no SO_REUSEPORT, the start fails
     * with one line saying so.
     */
    public DispatcherBuilder reusePort(boolean on) {
        this.reusePort = on;
        return self();
    }

    /**
     * Joins the cluster bus at {@code uri} (e.g. {@code redis://user:password@host:6379}, {@code rediss://...}):
     * a {@link PoolHandle#broadcast} then also reaches the pool of the same name on every other dispatcher
     * of the bus. The bus is a {@link dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider} found with
     * {@link java.util.ServiceLoader} by the URI's scheme (module {@code uhttp.workers.cluster.redis} for
     * Redis). Default: none, a broadcast reaches this process's workers only.
     */
    public DispatcherBuilder cluster(String uri) {
        this.clusterUri = uri;
        return self();
    }

    /**
     * This dispatcher's name among its peers (default: the host name and process id), shown by the
     * readiness route and told to the cluster bus.
     */
    public DispatcherBuilder nodeName(String name) {
        this.nodeName = SettingChecks.requireText(name, "nodeName");
        return self();
    }

    /** The host name and process id: the default {@link #nodeName}. */
    static String defaultNodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
