package dev.uhttp.workers.dispatcher.http;

import java.util.List;

/**
 * The named listeners something is served on (a pool, a loop route, a static route, the metrics route):
 * on another listener it is 404. No names: every listener.
 *
 * @param names the listeners' names, as configured (empty: every listener)
 */
public record ListenerScope(List<String> names) {
    /** Served on every listener. */
    public static final ListenerScope EVERY = new ListenerScope(List.of());

    public ListenerScope {
        names = List.copyOf(names);
    }

    /** The scope of {@code names}: {@link #EVERY} when there are none. */
    public static ListenerScope of(List<String> names) {
        return names.isEmpty() ? EVERY : new ListenerScope(names);
    }

    /** Whether a request that came through listener {@code listener} may be served. */
    public boolean allows(String listener) {
        return names.isEmpty() || names.contains(listener);
    }
}
