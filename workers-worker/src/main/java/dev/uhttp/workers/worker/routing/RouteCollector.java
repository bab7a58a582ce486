package dev.uhttp.workers.worker.routing;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.api.internal.RouteTable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the {@link Api} routes of a worker and its handler instances into a {@link RouteTable}.
 *
 * <p>For each instance, the class and its superclasses are walked (up to {@link Worker} or
 * {@link ApiHandler}); each {@code @Api} method found is routed under the prefix given by {@code @Api}
 * on the instance's own class (else on its nearest annotated superclass), so a handler subclass serves
 * its parents' routes under its own prefix.
 * A method overridden in a subclass is routed once, with the most derived {@code @Api} found, and the
 * override is what runs.
 *
 * <p>A route method must be public, non-static, and take exactly one {@link Request}; anything else,
 * an invalid pattern or a duplicate route fails with an {@link IllegalArgumentException} naming the
 * class, method and pattern.
 */
public final class RouteCollector {

    private final RouteTable<RouteTarget> table = new RouteTable<>();

    /** Adds the routes of {@code instance} (a worker or a handler). */
    public RouteCollector add(Object instance) {
        Class<?> type = instance.getClass();
        String prefix = prefix(type);
        Set<String> seen = new HashSet<>();
        for (Class<?> c = type; c != null && c != Worker.class && c != ApiHandler.class && c != Object.class;
                c = c.getSuperclass()) {
            Method[] methods = c.getDeclaredMethods();
            // Declaration order is unspecified; sort for reproducible route order and messages.
            Arrays.sort(methods, (a, b) -> a.toString().compareTo(b.toString()));
            for (Method m : methods) {
                Api api = m.getAnnotation(Api.class);
                if (api == null || m.isSynthetic() || m.isBridge()) {
                    continue;
                }
                String signature = m.getName() + Arrays.toString(m.getParameterTypes());
                if (!seen.add(signature)) {
                    continue; // overridden by a subclass that declared @Api on it already
                }
                String where = c.getName() + "." + m.getName();
                check(m, where, api.value());
                Method target = m;
                // trySetAccessible admits non-public classes in packages opened to the runtime; canAccess
                // then catches what would only fail at the first request (a package neither exported
                // nor opened to uhttp.workers.worker).
                if (!target.trySetAccessible() && !target.canAccess(instance)) {
                    throw new IllegalArgumentException("route method " + where + " (pattern '" + api.value()
                            + "') is not accessible: make the class public and export or open its package"
                            + " to module uhttp.workers.worker");
                }
                String pattern = join(prefix, api.value());
                table.add(pattern, api.methods(), new RouteTarget(instance, target, where),
                        where + " (" + (type == c ? "" : "inherited by " + type.getName() + ", ")
                                + "pattern '" + pattern + "')");
            }
        }
        return this;
    }

    /** Adds every instance. */
    public RouteCollector addAll(List<?> instances) {
        instances.forEach(this::add);
        return this;
    }

    /** The routes collected so far. */
    public RouteTable<RouteTarget> table() {
        return table;
    }

    private static void check(Method m, String where, String pattern) {
        List<String> problems = new ArrayList<>(2);
        if (!Modifier.isPublic(m.getModifiers())) {
            problems.add("must be public");
        }
        if (Modifier.isStatic(m.getModifiers())) {
            problems.add("must not be static");
        }
        if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != Request.class) {
            problems.add("must take exactly one parameter of type " + Request.class.getName());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("route method " + where + " (pattern '" + pattern + "') "
                    + String.join(" and ", problems));
        }
    }

    /** The nearest {@code @Api} prefix of the class or its superclasses (like the reference's inherited PATTERN). */
    private static String prefix(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Api api = c.getAnnotation(Api.class);
            if (api != null) {
                return api.value();
            }
        }
        return "";
    }

    /** Joins a handler prefix and a route pattern without doubling or losing the slash. */
    static String join(String prefix, String pattern) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (pattern.isEmpty()) {
            return p.isEmpty() ? "/" : p;
        }
        if (p.isEmpty()) {
            return pattern;
        }
        return pattern.startsWith("/") ? p + pattern : p + "/" + pattern;
    }
}
