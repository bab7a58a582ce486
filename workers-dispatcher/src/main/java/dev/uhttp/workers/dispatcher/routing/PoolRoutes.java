package dev.uhttp.workers.dispatcher.routing;

import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import java.util.List;

/**
 * Which pool serves a path: the first pool, in the order they were added, with a matching route, else
 * the fallback pool (the one without routes), else none.
 *
 * <p>A route {@code /api/users/**} matches {@code /api/users} and every path below it ({@code /**}
 * matches everything); any other route matches exactly.
 */
public final class PoolRoutes {
    private final List<PoolRuntime> pools;
    private final PoolRuntime fallback;

    public PoolRoutes(List<PoolRuntime> pools) {
        this.pools = List.copyOf(pools);
        this.fallback = pools.stream().filter(p -> p.spec().isFallback()).findFirst().orElse(null);
    }

    /** The pool for {@code path}, whatever the listener, or null. */
    public PoolRuntime find(String path) {
        for (int i = 0; i < pools.size(); i++) { // per request: no iterators
            PoolRuntime pool = pools.get(i);
            List<String> routes = pool.spec().routes();
            for (int j = 0; j < routes.size(); j++) {
                String route = routes.get(j);
                if (matches(route, path)) {
                    return pool;
                }
            }
        }
        return fallback;
    }

    /**
     * The pool for {@code path} on listener {@code listener}, or null: a pool whose routes match but
     * that is limited to other listeners makes it null (404 here), never another pool's.
     */
    public PoolRuntime find(String path, String listener) {
        PoolRuntime pool = find(path);
        return pool != null && pool.listeners().allows(listener) ? pool : null;
    }

    /** Whether pool route {@code route} matches {@code path}. */
    static boolean matches(String route, String path) {
        if (!route.endsWith("/**")) {
            return path.equals(route);
        }
        int n = route.length() - 3; // the prefix before "/**", compared in place (no substring per request)
        return n == 0 || (path.length() == n || path.length() > n && path.charAt(n) == '/')
                && path.regionMatches(0, route, 0, n);
    }
}
