package dev.uhttp.workers.dispatcher.routing;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.api.internal.RouteTable;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.LoopRoute;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.JsonErrors;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The {@link LoopRoute} methods of the user's dispatcher class, found by reflection at startup and called
 * on the loop thread.
 */
public final class SyncRoutes {
    private final Object target;
    private final RouteTable<Method> table = new RouteTable<>();
    /** The listeners each method is limited to (absent: every one). */
    private final java.util.Map<Method, java.util.List<String>> listeners = new java.util.HashMap<>();

    /** Collects the {@link LoopRoute} methods of {@code target}'s class; a malformed one fails here, at startup. */
    public SyncRoutes(Object target) {
        this.target = target;
        for (Method m : target.getClass().getMethods()) {
            LoopRoute sync = m.getAnnotation(LoopRoute.class);
            if (sync == null) {
                continue;
            }
            String where = "@LoopRoute method " + m.getDeclaringClass().getName() + "." + m.getName();
            if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != Exchange.class
                    || Modifier.isStatic(m.getModifiers())) {
                throw new IllegalArgumentException(where + " must be an instance method taking one Exchange");
            }
            table.add(sync.value(), sync.methods(), m, where);
            if (sync.listeners().length > 0) {
                listeners.put(m, java.util.List.of(sync.listeners()));
            }
        }
    }

    /** Whether {@code method} is served on listener {@code name}. */
    boolean servesListener(Method method, String name) {
        java.util.List<String> only = listeners.get(method);
        return only == null || only.contains(name);
    }

    /** The sync route for a request, or null when there are none at all. */
    RouteTable.Match<Method> find(String method, String path) {
        return table.isEmpty() ? null : table.find(method, path);
    }

    /** Calls {@code method} for {@code client}; a failure answers 500 (or the rejection's answer). */
    void invoke(Method method, Exchange client, HttpExchange exchange, RoutingHooks hooks) {
        try {
            method.invoke(target, client);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RejectRequest reject) {
                if (!client.isAnswered()) {
                    client.respond(reject.status(), reject.data());
                }
                return;
            }
            hooks.log(LogLevel.ERROR, Router.LOGGER, "sync handler {} failed for {} {}", method.getName(),
                    client.method(), client.path(), cause);
            if (!client.isAnswered()) {
                String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                Router.answer(exchange, 500, message);
            }
        } catch (IllegalAccessException e) {
            hooks.log(LogLevel.ERROR, Router.LOGGER,
                    "cannot call sync handler {}: open its package to uhttp.workers.dispatcher", method, e);
            Router.answer(exchange, 500, JsonErrors.INTERNAL_SERVER_ERROR);
        }
    }
}
