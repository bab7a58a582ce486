package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.dispatcher.http.ListenerScope;
import dev.uhttp.workers.dispatcher.routing.SyncRoutes;
import java.util.ArrayList;
import java.util.List;

/** The loop routes and hooks of a {@link DispatcherBuilder} (a file of their own for size). */
abstract class RoutesAndHooks {
    List<SyncRoutes.Route> loopRoutes = new ArrayList<>();
    Hooks.Builder hooks = new Hooks.Builder();

    RoutesAndHooks() {
    }

    private DispatcherBuilder self() {
        return (DispatcherBuilder) this;
    }

    void copyRoutesAndHooksTo(RoutesAndHooks c) {
        c.loopRoutes = new ArrayList<>(loopRoutes);
        c.hooks = hooks.copy();
    }

    // ------------------------------------------------------------------ loop routes

    /**
     * A loop route: {@code handler} answers {@code method} requests (null or {@code "*"}: every method)
     * whose path matches {@code pattern} (the worker routes' syntax, e.g. {@code /user/{id:int}}), on
     * the dispatcher's loop thread, after {@link #doCheckSync}; on every listener, or only on the
     * {@link DispatcherBuilder#listener(String, String, int) named listeners} given (elsewhere: 404). It must be fast and must not block.
     */
    public DispatcherBuilder loopRoute(String method, String pattern, ExchangeHandler handler, String... listeners) {
        String[] methods = method == null || method.equals("*") ? new String[0] : new String[] {method};
        loopRoutes.add(new SyncRoutes.Route(methods, SettingChecks.requirePath(pattern, "loop route pattern"),
                ListenerScope.of(List.of(listeners)), SettingChecks.requireValue(handler, "handler"), method + " " + pattern));
        return self();
    }

    /** A loop route for GET (and HEAD) requests; see {@link #loopRoute}. */
    public DispatcherBuilder get(String pattern, ExchangeHandler handler, String... listeners) {
        return loopRoute("GET", pattern, handler, listeners);
    }

    /** A loop route for POST requests; see {@link #loopRoute}. */
    public DispatcherBuilder post(String pattern, ExchangeHandler handler, String... listeners) {
        return loopRoute("POST", pattern, handler, listeners);
    }

    /** A loop route for PUT requests; see {@link #loopRoute}. */
    public DispatcherBuilder put(String pattern, ExchangeHandler handler, String... listeners) {
        return loopRoute("PUT", pattern, handler, listeners);
    }

    /** A loop route for DELETE requests; see {@link #loopRoute}. */
    public DispatcherBuilder delete(String pattern, ExchangeHandler handler, String... listeners) {
        return loopRoute("DELETE", pattern, handler, listeners);
    }

    /** A loop route from an annotated method (the subclass form). */
    DispatcherBuilder loopRoute(SyncRoutes.Route route) {
        loopRoutes.add(route);
        return self();
    }

    // ------------------------------------------------------------------ hooks

    /**
     * Checks a request before it is queued for a worker pool (not for static files or loop routes).
     * To refuse it, answer and throw {@link dev.uhttp.workers.api.RejectRequest}; another exception
     * answers 500. Default: none.
     */
    public DispatcherBuilder doCheck(ExchangeHandler check) {
        hooks.doCheck = SettingChecks.requireValue(check, "doCheck");
        return self();
    }

    /** As {@link #doCheck}, for loop routes and the metrics route (the reference's {@code do_check_sync}). */
    public DispatcherBuilder doCheckSync(ExchangeHandler check) {
        hooks.doCheckSync = SettingChecks.requireValue(check, "doCheckSync");
        return self();
    }

    /**
     * Called when a request is accepted for a pool, after {@code doCheck}, before it is queued (the
     * reference's {@code on_request_accepted}); what it returns reaches the worker as
     * {@code request.context()}: maps, lists, strings, numbers, booleans or null. Another value, or
     * an exception, answers 500.
     */
    public DispatcherBuilder onRequestAccepted(Hooks.RequestAccepted hook) {
        hooks.onRequestAccepted = SettingChecks.requireValue(hook, "onRequestAccepted");
        return self();
    }

    /**
     * Called when a worker forwards fire-and-forget work ({@code Worker.forward(route, data)}). Without
     * it, the work is queued at the pool that serves its route as a {@code POST} (its answer dropped),
     * or dropped with a WARNING when no pool serves it, that pool is degraded, or 10 000 pieces of such
     * work wait there already ({@link RunningDispatcher#forward} does the same).
     */
    public DispatcherBuilder onForward(java.util.function.BiConsumer<ForwardedWork, RunningDispatcher> hook) {
        hooks.onForward = SettingChecks.requireValue(hook, "onForward");
        return self();
    }

    /**
     * Called after a static route answered (the reference's {@code on_static_served}): status 200 for
     * a file (which the engine may have turned into 304 or 206), 404 for none.
     */
    public DispatcherBuilder onStaticServed(Hooks.StaticServed hook) {
        hooks.onStaticServed = SettingChecks.requireValue(hook, "onStaticServed");
        return self();
    }

    /**
     * Called after a worker's answer was sent to the client. A body of 256 KiB or more crosses the
     * dispatcher in pieces (it is never held whole): its response comes here when its head is sent,
     * with an empty body.
     */
    public DispatcherBuilder onResponse(java.util.function.BiConsumer<WorkerResponse, PoolRequest> hook) {
        hooks.onResponse = SettingChecks.requireValue(hook, "onResponse");
        return self();
    }

    /** Called once on the loop thread after startup, before the first request. */
    public DispatcherBuilder onStart(java.util.function.Consumer<RunningDispatcher> hook) {
        hooks.onStart = SettingChecks.requireValue(hook, "onStart");
        return self();
    }

    /** Called about every {@link DispatcherBuilder#idleInterval} on the loop thread, for periodic work. */
    public DispatcherBuilder onIdle(java.util.function.Consumer<RunningDispatcher> hook) {
        hooks.onIdle = SettingChecks.requireValue(hook, "onIdle");
        return self();
    }

    /**
     * Called exactly once for every request handed to a pool, when the pool lets go of it, with the
     * reason (the reference's {@code on_pending_removed}).
     */
    public DispatcherBuilder onRequestRemoved(java.util.function.BiConsumer<PoolRequest, RemovalReason> hook) {
        hooks.onRequestRemoved = SettingChecks.requireValue(hook, "onRequestRemoved");
        return self();
    }

    /** Called when a worker process ended without being asked to (the reference's {@code on_worker_died}). */
    public DispatcherBuilder onWorkerDied(java.util.function.Consumer<WorkerDeath> hook) {
        hooks.onWorkerDied = SettingChecks.requireValue(hook, "onWorkerDied");
        return self();
    }

    /**
     * Every log record of the dispatcher and its workers. Default: standard error, with a timestamp
     * and colours on a terminal, with syslog priority prefixes ({@code <3>}...) otherwise.
     */
    public DispatcherBuilder onLog(Hooks.LogHook hook) {
        hooks.onLog = SettingChecks.requireValue(hook, "onLog");
        return self();
    }
}
