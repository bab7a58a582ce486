package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerDeath;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.routing.RoutingHooks;
import java.net.InetSocketAddress;

/**
 * The configuration's hooks as the running dispatcher calls them (loop thread). The implementation
 * catches and logs what a hook throws: the runtime calls these without guards of its own.
 */
public interface DispatcherHooks extends RoutingHooks {

    /** A record a worker sent, past its pool's level: to {@code onLog} whatever the dispatcher's own level. */
    void workerLog(LogLevel level, String logger, String message);

    /** The client's address as trusted proxies report it (for the access log). */
    InetSocketAddress clientAddress(HttpExchange exchange);

    /** {@code onStart}: once, after startup, before the first request. */
    void onStart();

    /** {@code onIdle}: every idle interval. */
    void onIdle();

    /** {@code onResponse}: after a worker's answer was sent to the client. */
    void onResponse(int status, String[] headers, byte[] body, PoolRequest request);

    /** {@code onForward}: a worker forwarded work for {@code route}. */
    void onForward(String route, String[] headers, byte[] body);

    /** {@code onRequestRemoved}: a pool let go of a request. */
    void onRequestRemoved(PoolRequest request, RemovalReason reason);

    /** {@code onWorkerDied}: a worker process ended without being asked to. */
    void workerDied(WorkerDeath death);
}
