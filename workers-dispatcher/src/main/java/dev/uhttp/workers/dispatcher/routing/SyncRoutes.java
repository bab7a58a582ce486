package dev.uhttp.workers.dispatcher.routing;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.api.internal.RouteTable;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.ExchangeHandler;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.ListenerScope;
import java.util.List;

/** The loop routes of the configuration, matched and called on the loop thread. */
public final class SyncRoutes {
    private final RouteTable<Route> table = new RouteTable<>();

    /**
     * One loop route.
     *
     * @param methods   the HTTP methods it answers (empty: every one)
     * @param pattern   its path pattern, in the worker routes' syntax
     * @param listeners the named listeners it is served on (empty: every one)
     * @param name      how logs name it
     */
    public record Route(String[] methods, String pattern, ListenerScope listeners, ExchangeHandler handler, String name) {
    }

    /** The table of {@code routes}; a malformed pattern fails here, at startup. */
    public SyncRoutes(List<Route> routes) {
        for (Route r : routes) {
            table.add(r.pattern(), r.methods(), r, "loop route " + r.name());
        }
    }

    /** The loop route for a request, or null when there are none at all. */
    RouteTable.Match<Route> find(String method, String path) {
        return table.isEmpty() ? null : table.find(method, path);
    }

    /** Calls {@code route} for {@code ex}; a failure answers 500 (or the rejection's answer). */
    void invoke(Route route, Exchange ex, HttpExchange exchange, RoutingHooks hooks) {
        try {
            route.handler().handle(ex);
        } catch (RejectRequest reject) {
            if (!ex.isAnswered()) {
                ex.respond(reject.status(), reject.data());
            }
        } catch (Exception e) {
            hooks.log(LogLevel.ERROR, Router.LOGGER, "loop route {} failed for {} {}", route.name(),
                    ex.method(), ex.path(), e);
            if (!ex.isAnswered()) {
                String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                Router.answer(exchange, 500, message);
            }
        }
    }
}
