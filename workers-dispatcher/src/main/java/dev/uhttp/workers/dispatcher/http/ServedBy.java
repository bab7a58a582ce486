package dev.uhttp.workers.dispatcher.http;

import java.util.Objects;

/**
 * Who serves an exchange: the label it is counted and logged under (a worker pool's name, or
 * {@code static}, {@code sync}, {@code none}), the kind of route that took it, and the counters the
 * metrics keep for that label. The router sets it once, where it decides; the access log, the metrics
 * and the hooks all read this one record, so they cannot disagree. Built once per label, not per request.
 *
 * @param label    the pool's name, {@code static}, {@code sync} or {@code none}
 * @param route    the kind of route that took the request
 * @param counters what the metrics count this label into (opaque here), or null
 */
public record ServedBy(String label, Route route, Object counters) {
    /** Nobody took the request: the engine's own errors (400, 413, ...), no route (404), shutting down (503). */
    public static final ServedBy NONE = new ServedBy("none", Route.NONE, null);

    /** The kinds of route a request can be taken by. */
    public enum Route {
        /** A worker pool (answered by a worker, or refused on its way there: doCheck, admission). */
        POOL,
        /** A static route. */
        STATIC,
        /** A sync handler on the dispatcher's loop. */
        SYNC,
        /** The metrics route (counted under {@code sync}). */
        METRICS,
        /** No route. */
        NONE
    }

    public ServedBy {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(route, "route");
    }
}
