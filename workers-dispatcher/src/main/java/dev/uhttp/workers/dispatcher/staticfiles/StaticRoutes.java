package dev.uhttp.workers.dispatcher.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Static routes: URL prefix to directory. {@link #resolve} maps a decoded, dot-segment-free request
 * path (as the HTTP engine hands it over) to a regular file inside the route's directory, or null. The
 * real path of the file (symlinks followed) must stay inside the real path of the root, so {@code ..},
 * encoded {@code %2e%2e} and symlinks that lead outside all come out as "not found". The longest
 * matching prefix wins.
 *
 * <p>Lookups are blocking file-system calls ({@code toRealPath}, attributes) made on the caller's
 * thread, which for the dispatcher is the event-loop thread, as are the attribute read and the open in
 * {@code HttpExchange.respondFile}; only the transfer itself is non-blocking ({@code sendfile}). That is
 * cheap while the metadata and data are in the page cache (nginx without {@code aio} does the same), but
 * a slow or network file system stalls every connection of the loop for the duration of each call:
 * serve static files from local storage.
 */
public final class StaticRoutes {

    /** One route. */
    public static final class Route {
        private final String prefix;
        private final Path root;

        Route(String prefix, Path root) {
            this.prefix = prefix;
            this.root = root;
        }

        /** The URL prefix, always starting and ending with {@code /}. */
        public String prefix() {
            return prefix;
        }

        /** The real path of the directory. */
        public Path root() {
            return root;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    /**
     * @param routes URL prefix (e.g. {@code /static/}) to directory
     * @throws IllegalArgumentException if a prefix does not start with {@code /} or a directory does
     *                                  not exist
     */
    public StaticRoutes(Map<String, Path> routes) {
        for (Map.Entry<String, Path> e : routes.entrySet()) {
            String prefix = e.getKey();
            if (prefix == null || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("static route prefix must start with '/': " + prefix);
            }
            if (!prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            Path dir = e.getValue();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new IllegalArgumentException("static route " + e.getKey() + ": directory "
                        + (dir == null ? null : dir.toAbsolutePath()) + " does not exist or is not a directory");
            }
            Path real;
            try {
                real = dir.toRealPath();
            } catch (IOException ex) {
                throw new IllegalArgumentException("static route " + e.getKey() + ": cannot resolve " + dir + ": " + ex, ex);
            }
            this.routes.add(new Route(prefix, real));
        }
        this.routes.sort(Comparator.comparingInt((Route r) -> r.prefix.length()).reversed());
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** The route whose prefix {@code path} falls under (also {@code /static} for prefix {@code /static/}), or null. */
    public Route match(String path) {
        for (Route r : routes) {
            if (path.startsWith(r.prefix) || path.equals(r.prefix.substring(0, r.prefix.length() - 1))) {
                return r;
            }
        }
        return null;
    }

    /**
     * The file to serve for {@code decodedPath}, or null when no route matches or there is no such
     * regular file inside the route's directory. A directory serves its {@code index.html}.
     */
    public Path resolve(String decodedPath) {
        Route r = match(decodedPath);
        if (r == null) {
            return null;
        }
        String rest = decodedPath.length() <= r.prefix.length() ? "" : decodedPath.substring(r.prefix.length());
        if (rest.indexOf('\0') >= 0) {
            return null;
        }
        for (String seg : rest.split("/")) {
            if (seg.equals("..")) {
                return null;
            }
        }
        try {
            Path candidate = rest.isEmpty() ? r.root : r.root.resolve(rest).normalize();
            if (!candidate.startsWith(r.root)) {
                return null;
            }
            Path real = candidate.toRealPath();
            if (Files.isDirectory(real)) {
                real = real.resolve("index.html").toRealPath();
            }
            if (!real.startsWith(r.root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return real;
        } catch (IOException | InvalidPathException | SecurityException e) {
            return null;
        }
    }
}
