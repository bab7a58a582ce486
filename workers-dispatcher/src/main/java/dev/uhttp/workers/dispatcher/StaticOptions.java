package dev.uhttp.workers.dispatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * How a static route serves (the reference's static route options): extra response headers, whether
 * a file it does not have is a 404 or goes on to the sync routes and pools, and the listeners it is
 * served on.
 *
 * <pre>{@code
 * dispatcher.staticRoute("/assets/", Path.of("assets"),
 *         StaticOptions.defaults().header("Cache-Control", "max-age=86400").fallThrough(true));
 * }</pre>
 */
public final class StaticOptions {
    private final List<String> headers;
    private final boolean fallThrough;
    private final List<String> listeners;

    private StaticOptions(List<String> headers, boolean fallThrough, List<String> listeners) {
        this.headers = List.copyOf(headers);
        this.fallThrough = fallThrough;
        this.listeners = List.copyOf(listeners);
    }

    /** No extra headers, a miss is 404 here (authoritative), every listener. */
    public static StaticOptions defaults() {
        return new StaticOptions(List.of(), false, List.of());
    }

    /** Adds a response header to every file served, e.g. {@code Cache-Control}. */
    public StaticOptions header(String name, String value) {
        SettingChecks.requireText(name, "static route header name");
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("static route header " + name + " must be one line, got "
                    + (value == null ? null : "'" + value.replace("\r", "\\r").replace("\n", "\\n") + "'"));
        }
        List<String> h = new ArrayList<>(headers);
        h.add(name);
        h.add(value);
        return new StaticOptions(h, fallThrough, listeners);
    }

    /**
     * With {@code true}, a path under the prefix that names no file goes on to the sync routes and the
     * pools (the reference's {@code authoritative=False}); default false: 404 here.
     */
    public StaticOptions fallThrough(boolean fallThrough) {
        return new StaticOptions(headers, fallThrough, listeners);
    }

    /** Serves the route only on these named listeners (404 elsewhere). */
    public StaticOptions listeners(String... names) {
        for (String n : names) {
            SettingChecks.requireText(n, "listener name");
        }
        return new StaticOptions(headers, fallThrough, List.of(names));
    }

    /** The extra headers, as name, value, name, value... */
    public List<String> headers() {
        return headers;
    }

    /** See {@link #fallThrough(boolean)}. */
    public boolean isFallThrough() {
        return fallThrough;
    }

    /** The listeners it is limited to (empty: all). */
    public List<String> listeners() {
        return listeners;
    }
}
