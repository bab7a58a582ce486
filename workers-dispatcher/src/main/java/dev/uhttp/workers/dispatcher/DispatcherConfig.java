package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.lifecycle.DispatcherSettings;
import dev.uhttp.workers.dispatcher.routing.SyncRoutes;
import dev.uhttp.workers.dispatcher.routing.TrustedProxies;
import java.util.List;

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
 */
public final class DispatcherConfig {
    final DispatcherSettings settings;
    final List<WorkerPool> pools;
    final List<SyncRoutes.Route> loopRoutes;
    final Hooks hooks;
    final TrustedProxies trustedProxies;
    final LogLevel logLevel;
    private final DispatcherBuilder source;

    DispatcherConfig(DispatcherBuilder source, DispatcherSettings settings, List<WorkerPool> pools,
                     List<SyncRoutes.Route> loopRoutes, Hooks hooks, TrustedProxies trustedProxies, LogLevel logLevel) {
        this.source = source.copy();
        this.settings = settings;
        this.pools = pools;
        this.loopRoutes = loopRoutes;
        this.hooks = hooks;
        this.trustedProxies = trustedProxies;
        this.logLevel = logLevel;
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

    /** The pools, in routing order. */
    public List<WorkerPool> pools() {
        return pools;
    }

    /** The configured listen port (0: a free one, see {@link RunningDispatcher#port()}). */
    public int port() {
        return settings.port();
    }

    /** The configured listen address. */
    public String address() {
        return settings.address();
    }

    /** Lowest level of the dispatcher's own records that reach {@code onLog}. */
    public LogLevel logLevel() {
        return logLevel;
    }

    @Override
    public String toString() {
        return "DispatcherConfig[" + settings.address() + ":" + settings.port() + ", pools " + pools + "]";
    }
}
