package dev.uhttp.workers.dispatcher.routing;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.api.internal.RouteTable;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.StaticOptions;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.HttpHandler;
import dev.uhttp.workers.dispatcher.http.JsonErrors;
import dev.uhttp.workers.dispatcher.http.ListenerScope;
import dev.uhttp.workers.dispatcher.metrics.DispatcherMetrics;
import dev.uhttp.workers.dispatcher.pool.Pending;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import dev.uhttp.workers.dispatcher.staticfiles.MimeTypes;
import dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Where a request goes, as the reference orders it: a list of named stages, each of which answers the
 * request (or hands it to a pool) or lets it go on to the next. To change the order or add a step,
 * change {@link #stages}. Loop thread only.
 *
 * <ol>
 *   <li>{@code readiness}: the readiness route, when enabled (GET and HEAD; 200 or 503, answered even
 *       while shutting down, with no check: a load balancer asks it);</li>
 *   <li>{@code accepting}: 503 while the dispatcher shuts down;</li>
 *   <li>{@code metricsRoute}: the Prometheus metrics, when enabled (GET and HEAD; after {@code doCheckSync});</li>
 *   <li>{@code staticFiles}: files under a static route prefix (GET and HEAD);</li>
 *   <li>{@code syncHandlers}: the dispatcher's {@code @LoopRoute} methods, after the user's {@code doCheckSync};</li>
 *   <li>{@code poolMatch}: the first pool whose routes match, else the fallback pool, else 404
 *       (405 when only a sync route's methods did not match);</li>
 *   <li>{@code check}: the user's {@code doCheck} (pool requests only);</li>
 *   <li>{@code admission}: 503 when {@code maxPending} requests are pending;</li>
 *   <li>{@code toPool}: queued at the pool.</li>
 * </ol>
 *
 * <p>The stage that takes a request sets who serves it ({@link dev.uhttp.workers.dispatcher.http.ServedBy}:
 * {@code static}, {@code sync}, the pool), once, where it decides; the access log, the metrics and the
 * hooks read that one record. A request no route takes is {@code none}: no route (404, or 405 when only
 * a sync route's methods did not match), a route limited to other listeners (404), shutting down (503),
 * and what the engine answers before routing (400, 413, ...). A request that matched a pool stays that
 * pool's when it is refused on its way there ({@code doCheck}, admission 503, a degraded pool's 503);
 * the metrics route is counted under {@code sync}; a static route's 405 under {@code static}.
 */
public final class Router implements HttpHandler {
    static final String LOGGER = "dispatcher";

    /** One step of routing. */
    @FunctionalInterface
    interface Stage {
        /** Returns true when the request has been dealt with here and later stages must not see it. */
        boolean route(Routed request);
    }

    /** A request on its way through the stages. */
    static final class Routed {
        HttpExchange exchange;
        Exchange client;
        RouteTable.Match<SyncRoutes.Route> sync;
        PoolRuntime pool;
    }

    /** A static route's options, and the listeners they allow (resolved once). */
    private record StaticRoute(StaticOptions options, ListenerScope scope) {
        static final StaticRoute DEFAULT = new StaticRoute(StaticOptions.defaults(), ListenerScope.EVERY);
    }

    private final BooleanSupplier accepting;
    private final StaticRoutes statics;
    /** Each static route's options and listeners, by prefix. */
    private final Map<String, StaticRoute> staticRoutes = new java.util.HashMap<>();
    private final SyncRoutes syncRoutes;
    private final PoolRoutes poolRoutes;
    private final RoutingHooks hooks;
    private final IntSupplier pending;
    private final int maxPending;
    private final DispatcherMetrics metrics;
    private static final String[] METRICS_HEADERS = {"Content-Type", dev.uhttp.workers.dispatcher.Metrics.CONTENT_TYPE,
        "Cache-Control", "no-store"};
    private final Stage[] stages;
    /** The {@link Routed} of the last request, for the next one; null while it routes one. */
    private Routed spare;
    private long nextId = 1;
    private String readinessPath;
    private java.util.function.Consumer<HttpExchange> readiness;

    /**
     * @param accepting  false once the dispatcher shuts down
     * @param statics    the static routes, or null
     * @param pending    requests pending across all pools
     * @param maxPending pending requests above which new ones get 503
     * @param metrics    the labels requests are counted under, and the metrics route
     */
    public Router(BooleanSupplier accepting, StaticRoutes statics, Map<String, StaticOptions> staticOptions,
                  SyncRoutes syncRoutes, PoolRoutes poolRoutes, RoutingHooks hooks, IntSupplier pending, int maxPending,
                  DispatcherMetrics metrics) {
        this.accepting = accepting;
        this.statics = statics;
        staticOptions.forEach((prefix, o) -> staticRoutes.put(prefix, new StaticRoute(o, ListenerScope.of(o.listeners()))));
        this.syncRoutes = syncRoutes;
        this.poolRoutes = poolRoutes;
        this.hooks = hooks;
        this.pending = pending;
        this.maxPending = maxPending;
        this.metrics = metrics;
        this.stages = new Stage[] {this::readiness, this::accepting, this::metricsRoute, this::staticFiles, this::syncHandlers, this::poolMatch,
                this::check, this::admission, this::toPool};
    }

    @Override
    public void handle(HttpExchange exchange) {
        // One Routed serves request after request: no stage keeps it. A handler that routes another
        // request while its own is routed (not done today) gets one of its own.
        Routed request = spare != null ? spare : new Routed();
        spare = null;
        request.exchange = exchange;
        try {
            for (Stage stage : stages) {
                if (stage.route(request)) {
                    return;
                }
            }
            throw new IllegalStateException("no routing stage took " + exchange.path()); // toPool always does
        } finally {
            request.exchange = null;
            request.client = null;
            request.sync = null;
            request.pool = null;
            spare = request;
        }
    }

    /**
     * A body streams when the request would reach a pool (not a static or {@code @LoopRoute} route) whose
     * {@code streamBodiesOver} it exceeds; the pool's {@code maxStreamedBodySize} is then its limit.
     */
    @Override
    public long streamBodyLimit(String method, String path, String listener, long length) {
        if (!accepting.getAsBoolean() || path.equals(readinessPath)
                || syncRoutes.find(method, path) instanceof RouteTable.Found<SyncRoutes.Route>) {
            return -1;
        }
        StaticRoutes.Route route = statics == null ? null : statics.match(path);
        if (route != null && (!staticRoutes.getOrDefault(route.prefix(), StaticRoute.DEFAULT).options().isFallThrough()
                || statics.resolve(path) != null)) {
            return -1; // the static stage answers it
        }
        PoolRuntime pool = poolRoutes.find(path, listener);
        return pool == null ? -1 : streamLimit(pool.spec(), length);
    }

    /**
     * The largest body a request to {@code pool} announcing {@code length} ({@code -1}: chunked) may
     * stream, or {@code -1} when its body is collected whole.
     */
    static long streamLimit(WorkerPool pool, long length) {
        long over = pool.streamBodiesOver().getAsLong(); // resolved by build(): always present here
        return over != Long.MAX_VALUE && (length < 0 || length > over) ? pool.maxStreamedBodySize() : -1;
    }

    /** Answers GET and HEAD of {@code path} with {@code answer} (the readiness route), before every other stage. */
    public void readinessRoute(String path, java.util.function.Consumer<HttpExchange> answer) {
        this.readinessPath = path;
        this.readiness = answer;
    }

    /** The pool that would serve {@code path} (by its routes, else the fallback pool), or null. */
    public PoolRuntime poolFor(String path) {
        return poolRoutes.find(path);
    }

    // ------------------------------------------------------------------ the stages, in order

    private boolean readiness(Routed r) {
        if (readinessPath == null || !readinessPath.equals(r.exchange.path())) {
            return false;
        }
        r.exchange.servedBy(metrics.sync()); // answered on the loop, as a sync route
        String method = r.exchange.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(r.exchange, "GET, HEAD");
        } else {
            readiness.accept(r.exchange);
        }
        return true;
    }

    private boolean accepting(Routed r) {
        if (accepting.getAsBoolean()) {
            return false;
        }
        answer(r.exchange, 503, "Service unavailable: shutting down");
        return true;
    }

    private boolean staticFiles(Routed r) {
        String path = r.exchange.path();
        StaticRoutes.Route route = statics == null ? null : statics.match(path);
        if (route == null) {
            return false;
        }
        String method = r.exchange.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            r.exchange.servedBy(metrics.staticFiles());
            methodNotAllowed(r.exchange, "GET, HEAD");
            return true;
        }
        StaticRoute settings = staticRoutes.getOrDefault(route.prefix(), StaticRoute.DEFAULT);
        StaticOptions options = settings.options();
        if (!settings.scope().allows(r.exchange.listener())) {
            answer(r.exchange, 404, "Not found"); // limited to other listeners: nothing here
            return true;
        }
        Path file = statics.resolve(path);
        if (file == null && options.isFallThrough()) {
            return false; // not ours: the sync routes and pools may have it
        }
        r.exchange.servedBy(metrics.staticFiles());
        if (file == null) {
            answer(r.exchange, 404, "Not found");
        } else {
            r.exchange.respondFile(file, MimeTypes.forPath(file), options.headers().toArray(String[]::new));
        }
        // The status as sent (304, 206, 416 as well as 200 and 404); 0 when the client had gone.
        hooks.onStaticServed(r.exchange, path, r.exchange.status());
        return true;
    }

    private boolean metricsRoute(Routed r) {
        if (!metrics.isRoute(r.exchange.path())) {
            return false;
        }
        if (!metrics.routeListeners().allows(r.exchange.listener())) {
            answer(r.exchange, 404, "Not found"); // limited to other listeners: nothing here
            return true;
        }
        r.exchange.servedBy(metrics.metricsRoute());
        String method = r.exchange.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(r.exchange, "GET, HEAD");
            return true;
        }
        r.client = hooks.exchange(r.exchange, Map.of());
        if (!refused(r, true)) {
            r.exchange.respond(200, METRICS_HEADERS,
                    metrics.snapshot().text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return true;
    }

    private boolean syncHandlers(Routed r) {
        r.sync = syncRoutes.find(r.exchange.method(), r.exchange.path());
        if (r.sync instanceof RouteTable.Found<SyncRoutes.Route> found) {
            if (!found.route().handler().listeners().allows(r.exchange.listener())) {
                answer(r.exchange, 404, "Not found"); // limited to other listeners: nothing here
                return true;
            }
            r.exchange.servedBy(metrics.sync());
            r.client = hooks.exchange(r.exchange, found.params());
            if (!refused(r, true)) {
                syncRoutes.invoke(found.route().handler(), r.client, r.exchange, hooks);
            }
            // Answered by now, the engine may serve the connection's next request with this exchange:
            // the handler and the hooks had it through r.client only, which checks its generation.
            r.exchange.reuseOnceWritten();
            return true;
        }
        r.client = hooks.exchange(r.exchange, Map.of());
        return false;
    }

    private boolean poolMatch(Routed r) {
        r.pool = poolRoutes.find(r.exchange.path(), r.exchange.listener());
        if (r.pool != null) {
            r.exchange.servedBy(r.pool.metrics().servedBy());
            return false;
        }
        if (r.sync instanceof RouteTable.MethodNotAllowed<SyncRoutes.Route> mna) {
            methodNotAllowed(r.exchange, String.join(", ", mna.allow()));
        } else {
            answer(r.exchange, 404, "Not found");
        }
        return true;
    }

    private boolean check(Routed r) {
        return refused(r, false);
    }

    /** Runs the user's check ({@code doCheckSync} or {@code doCheck}); true when it answered the request. */
    private boolean refused(Routed r, boolean sync) {
        try {
            if (sync) {
                hooks.doCheckSync(r.client);
            } else {
                hooks.doCheck(r.client);
            }
        } catch (RejectRequest reject) {
            if (!r.exchange.isAnswered()) {
                r.client.respond(reject.status(), reject.data());
            }
            return true;
        } catch (Exception e) {
            hooks.log(LogLevel.ERROR, LOGGER, "{} failed for {} {}", sync ? "doCheckSync" : "doCheck",
                    r.exchange.method(), r.exchange.path(), e);
            answer(r.exchange, 500, JsonErrors.INTERNAL_SERVER_ERROR);
            return true;
        }
        return r.exchange.isAnswered();
    }

    private boolean admission(Routed r) {
        if (pending.getAsInt() < maxPending) {
            return false;
        }
        answer(r.exchange, 503, "Service unavailable: too many pending requests");
        return true;
    }

    private boolean toPool(Routed r) {
        Pending p = new Pending(nextId++, r.client, r.exchange);
        try {
            Object context = hooks.onRequestAccepted(p.id(), r.client, r.pool);
            if (!JsonLike.is(context)) {
                throw new IllegalArgumentException("returned a " + context.getClass().getName()
                        + ", which cannot be sent to a worker: use maps, lists, strings, numbers, booleans");
            }
            p.context(context);
        } catch (Exception e) {
            hooks.log(LogLevel.ERROR, LOGGER, "onRequestAccepted failed for {} {}", r.exchange.method(),
                    r.exchange.path(), e);
            answer(r.exchange, 500, JsonErrors.INTERNAL_SERVER_ERROR);
            return true;
        }
        r.pool.submit(p);
        return true;
    }

    // ------------------------------------------------------------------ answers

    static void answer(HttpExchange exchange, int status, String error) {
        exchange.respond(status, JsonErrors.HEADERS, JsonErrors.body(error));
    }

    private static void methodNotAllowed(HttpExchange exchange, String allow) {
        exchange.respond(405, new String[] {"Allow", allow, "Content-Type", "application/json"},
                JsonErrors.body("Method not allowed"));
    }
}
