package dev.uhttp.workers.api.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes of one kind (worker handlers, dispatcher sync handlers), matched most specific first.
 * {@code HEAD} is answered by a {@code GET} route.
 *
 * @param <H> what a route leads to
 */
public final class RouteTable<H> {

    /** One route. An empty method set means every method. */
    public record Route<H>(PathPattern pattern, Set<String> methods, H handler) {
        boolean allows(String method) {
            return methods.isEmpty() || methods.contains(method)
                    || (method.equals("HEAD") && methods.contains("GET"));
        }
    }

    /** The outcome of {@link #find}. */
    public sealed interface Match<H> {
    }

    /** A route matched. */
    public record Found<H>(Route<H> route, Map<String, Object> params) implements Match<H> {
    }

    /** The path matched routes, none for this method; {@code allow} lists the methods that would. */
    public record MethodNotAllowed<H>(Set<String> allow) implements Match<H> {
    }

    /** No route matched the path. */
    public record NotFound<H>() implements Match<H> {
    }

    @SuppressWarnings("rawtypes")
    private static final NotFound NOT_FOUND = new NotFound<>();
    private final List<Route<H>> routes = new ArrayList<>();
    /** Each route's match without parameters, by the index of {@link #routes}: found every request, made once. */
    private final List<Found<H>> withoutParams = new ArrayList<>();

    /**
     * Adds a route; {@code methods} are upper-cased.
     *
     * @throws IllegalArgumentException when the pattern is invalid or the same pattern and method are
     *                                  already routed; the message names {@code where}
     */
    public void add(String pattern, String[] methods, H handler, String where) {
        PathPattern compiled;
        try {
            compiled = PathPattern.compile(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Set<String> set = new TreeSet<>();
        for (String m : methods) {
            set.add(m.trim().toUpperCase(Locale.ROOT));
        }
        for (Route<H> r : routes) {
            if (r.pattern.source().equals(compiled.source())
                    && (r.methods.isEmpty() || set.isEmpty() || !Collections.disjoint(r.methods, set))) {
                throw new IllegalArgumentException(where + ": route '" + pattern + "' " + set
                        + " is already declared by " + r.handler);
            }
        }
        routes.add(new Route<>(compiled, Collections.unmodifiableSet(set), handler));
        routes.sort(Comparator.comparing(Route::pattern));
        withoutParams.clear();
        for (Route<H> r : routes) {
            withoutParams.add(new Found<>(r, Collections.emptyMap()));
        }
    }

    /** All routes, most specific first. */
    public List<Route<H>> routes() {
        return Collections.unmodifiableList(routes);
    }

    /** Whether it has no route. */
    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** Finds the route for {@code method} and {@code path}. */
    public Match<H> find(String method, String path) {
        Set<String> allow = null;
        for (int i = 0, n = routes.size(); i < n; i++) {
            Route<H> route = routes.get(i);
            Map<String, Object> params = route.pattern.match(path);
            if (params == null) {
                continue;
            }
            if (route.allows(method)) {
                return params.isEmpty() ? withoutParams.get(i) : new Found<>(route, params);
            }
            if (allow == null) {
                allow = new TreeSet<>();
            }
            allow.addAll(route.methods);
            if (route.methods.contains("GET")) {
                allow.add("HEAD");
            }
        }
        @SuppressWarnings("unchecked")
        Match<H> none = allow == null ? (Match<H>) NOT_FOUND : new MethodNotAllowed<>(allow);
        return none;
    }
}
