package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.pool.PoolHooks;
import dev.uhttp.workers.dispatcher.routing.RoutingHooks;
import java.net.InetSocketAddress;

/**
 * The configuration's hooks as the running dispatcher calls them (loop thread). The implementation
 * catches and logs what a hook throws: the runtime calls these without guards of its own.
 */
public interface DispatcherHooks extends RoutingHooks, PoolHooks {

    /** A record a worker sent, past its pool's level: to {@code onLog} whatever the dispatcher's own level. */
    void workerLog(LogLevel level, String logger, String message);

    /** The client's address as trusted proxies report it (for the access log). */
    InetSocketAddress clientAddress(HttpExchange exchange);

    /** {@code onStart}: once, after startup, before the first request. */
    void onStart();

    /** {@code onIdle}: every idle interval. */
    void onIdle();
}
