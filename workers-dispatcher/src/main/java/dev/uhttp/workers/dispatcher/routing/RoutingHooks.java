package dev.uhttp.workers.dispatcher.routing;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import java.util.Map;

/** What routing needs from the user's dispatcher: its {@link Exchange}s, its check, its log. */
public interface RoutingHooks {

    /** The {@link Exchange} of {@code exchange}, with the typed parameters of its sync route (or none). */
    Exchange client(HttpExchange exchange, Map<String, Object> pathParams);

    /** The user's {@code doCheck}: answers and throws {@code RejectRequest} to refuse. */
    void doCheck(Exchange client) throws Exception;

    /** The user's {@code doCheckSync}, for sync routes (checks nothing unless overridden). */
    void doCheckSync(Exchange client) throws Exception;

    /** The user's {@code onRequestAccepted}: a JSON-like value for the worker, or null. */
    Object onRequestAccepted(long requestId, Exchange client, PoolHandle pool) throws Exception;

    /** The user's {@code onStaticServed}: a static route answered {@code path} with {@code status}. */
    void onStaticServed(HttpExchange exchange, String path, int status);

    /** Logs a record under {@code logger}, with {@code {}} placeholders. */
    void log(LogLevel level, String logger, String message, Object... args);
}
