package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.lifecycle.DispatcherHooks;
import dev.uhttp.workers.dispatcher.routing.TrustedProxies;
import java.util.List;
import java.util.Map;

/**
 * The user's dispatcher as the runtime (in packages of its own) calls it: its protected hooks, and the
 * {@link Exchange}s and {@link WorkerResponse}s whose constructors are not public.
 */
final class HookBridge implements DispatcherHooks {
    private final Dispatcher d;

    HookBridge(Dispatcher dispatcher) {
        this.d = dispatcher;
    }

    @Override
    public Exchange client(HttpExchange exchange, Map<String, Object> pathParams) {
        TrustedProxies.Origin origin = d.trustedProxies().origin(exchange);
        Exchange client = new Exchange(exchange, origin.address(), origin.secure());
        if (!pathParams.isEmpty()) {
            client.pathParams(pathParams);
        }
        return client;
    }

    @Override
    public java.net.InetSocketAddress clientAddress(HttpExchange exchange) {
        return d.trustedProxies().origin(exchange).address();
    }

    @Override
    public void doCheck(Exchange client) throws Exception {
        d.doCheck(client);
    }

    @Override
    public Object onRequestAccepted(long requestId, Exchange client, PoolHandle pool) throws Exception {
        return d.onRequestAccepted(requestId, client, pool);
    }

    @Override
    public void onStaticServed(HttpExchange exchange, String path, int status) {
        try {
            d.onStaticServed(client(exchange, Map.of()), path, status);
        } catch (RuntimeException e) {
            d.logAs(LogLevel.ERROR, "dispatcher", "onStaticServed failed", e);
        }
    }

    @Override
    public void doCheckSync(Exchange client) throws Exception {
        d.doCheckSync(client);
    }

    @Override
    public void log(LogLevel level, String logger, String message, Object... args) {
        d.logAs(level, logger, message, args);
    }

    @Override
    public void workerLog(LogLevel level, String logger, String message) {
        d.workerLog(level, logger, "{}", message);
    }

    @Override
    public void onStart() {
        d.onStart();
    }

    @Override
    public void onIdle() {
        d.onIdle();
    }

    @Override
    public void onForward(String route, String[] headers, byte[] body) {
        d.onForward(new ForwardedWork(route, headers, body));
    }

    @Override
    public void onPendingRemoved(PoolRequest request, RemovalReason reason) {
        d.onPendingRemoved(request.id(), request, reason);
    }

    @Override
    public void onWorkerDied(String pool, int workerId, String reason, int exitCode, List<PoolRequest> victims) {
        d.onWorkerDied(pool, workerId, reason, exitCode, victims);
    }

    @Override
    public void onResponse(int status, String[] headers, byte[] body, PoolRequest request) {
        d.onResponse(new WorkerResponse(status, headers, body), request);
    }
}
