package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
import java.util.List;
import dev.uhttp.workers.dispatcher.routing.RoutingHooks;

/** The user's overridable hooks, as the running dispatcher calls them (loop thread). */
public interface DispatcherHooks extends RoutingHooks {

    /** A record a worker sent, past its pool's level: to {@code onLog} whatever the dispatcher's own level. */
    void workerLog(LogLevel level, String logger, String message);

    /** The client's address as trusted proxies report it (for the access log). */
    default java.net.InetSocketAddress clientAddress(dev.uhttp.workers.dispatcher.http.HttpExchange exchange) {
        return exchange.remoteAddress();
    }

    /** {@code onStart}: once, after startup, before the first request. */
    void onStart();

    /** {@code onIdle}: every idle interval. */
    void onIdle();

    /** {@code onResponse}: after a worker's answer was sent to the client. */
    void onResponse(int status, String[] headers, byte[] body, PoolRequest request);

    /** {@code onForward}: a worker forwarded work for {@code route}. */
    void onForward(String route, String[] headers, byte[] body);

    /** {@code onPendingRemoved}: a pool let go of a request. */
    void onPendingRemoved(PoolRequest request, RemovalReason reason);

    /** {@code onWorkerDied}: a worker process ended without being asked to. */
    void onWorkerDied(String pool, int workerId, String reason, int exitCode, List<PoolRequest> victims);
}
