package dev.uhttp.workers.dispatcher.routing;

import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import java.util.Map;

/** What routing needs from the configuration: its {@link Exchange}s, its checks, its hooks, its log. */
public interface RoutingHooks extends LogSink {

    /** The {@link Exchange} of {@code exchange}, with the typed parameters of its loop route (or none). */
    Exchange exchange(HttpExchange exchange, Map<String, Object> pathParams);

    /** {@code doCheck}: answers and throws {@code RejectRequest} to refuse. */
    void doCheck(Exchange exchange) throws Exception;

    /** {@code doCheckSync}, for loop routes and the metrics route. */
    void doCheckSync(Exchange exchange) throws Exception;

    /** {@code onRequestAccepted}: a JSON-like value for the worker, or null. */
    Object onRequestAccepted(long requestId, Exchange exchange, PoolHandle pool) throws Exception;

    /** {@code onStaticServed}: a static route answered {@code path} with {@code status}; never throws. */
    void onStaticServed(HttpExchange exchange, String path, int status);
}
