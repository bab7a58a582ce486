package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.dispatcher.DispatcherBuilder;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.RunningDispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The simple example's checks, loop routes and hooks (the reference's {@code simple_workers}):
 * authentication for the pools, three loop routes answered in the dispatcher itself, and the compute
 * workers' forwarded results queued at the storage pool. {@link SimpleExample#dispatcher} adds the
 * pools and the demo page; {@link #routes} adds these to a {@link DispatcherBuilder}.
 *
 * <ul>
 *   <li>{@link #requireApiKey}: requests for a pool need the header {@code x-api-key: demo-key-1} (or
 *       {@code demo-key-2}), else 401 {@code {"error":"unauthorized"}}; static files and loop routes
 *       are not checked;</li>
 *   <li>{@code GET /}: 302 to the demo page, {@code GET /health}: the pools and their workers,
 *       {@code GET /version}: the project version;</li>
 *   <li>{@code POST /admin/pools/{name}/size} with {@code {"workers": n}} and the API key: resizes a pool;</li>
 *   <li>the compute workers {@code forward} each successful result to the storage pool, as an item named
 *       {@code result: ...} (without an {@code onForward} hook the dispatcher queues it there).</li>
 * </ul>
 */
public final class SimpleDispatcher {
    /** The API keys {@link #requireApiKey} accepts. */
    public static final Set<String> API_KEYS = Set.of("demo-key-1", "demo-key-2");
    /** The name of the compute pool, whose workers forward their results to storage. */
    public static final String COMPUTE = "compute";
    /** The name of the storage pool the results go to. */
    public static final String STORAGE = "storage";
    /** Where {@code GET /} redirects. */
    public static final String INDEX = "/static/index.html";

    /** The name of the admin listener ({@code --admin-port}). */
    public static final String ADMIN = "admin";

    private SimpleDispatcher() {
    }

    /** Adds the pool check and the loop routes to {@code builder}. */
    public static DispatcherBuilder routes(DispatcherBuilder builder) {
        String version = projectVersion();
        return builder.doCheck(SimpleDispatcher::requireApiKey)
                .get("/", ex -> ex.respondRedirect(INDEX))
                .get("/health", SimpleDispatcher::health)
                .post("/admin/pools/{name}/size", SimpleDispatcher::resize)
                .get("/version", ex -> ex.respond(Map.of("version", version)));
    }

    /**
     * With an admin listener: {@code /health} and {@code /admin/**} are served only there (404
     * elsewhere), a check of the loop routes.
     */
    public static DispatcherBuilder adminOnly(DispatcherBuilder builder) {
        return builder.doCheckSync(ex -> {
            String path = ex.path();
            if (!ADMIN.equals(ex.listener()) && (path.equals("/health") || path.startsWith("/admin/"))) {
                ex.respond(404, Map.of("error", "Not found"));
                throw new RejectRequest();
            }
        });
    }

    /** The pools' check: a known {@code x-api-key}, else 401. */
    static void requireApiKey(Exchange ex) {
        String key = ex.header("x-api-key");
        if (key == null || !API_KEYS.contains(key)) {
            ex.respond(401, Map.of("error", "unauthorized"));
            throw new RejectRequest();
        }
    }

    static void health(Exchange ex) {
        RunningDispatcher.Status status = ex.dispatcher().status();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "ok");
        answer.put("node", ex.dispatcher().nodeName());
        answer.put("pending", status.pending());
        answer.put("pools", status.pools());
        ex.respond(answer);
    }

    /** Resizes a pool at run time; loop routes are not covered by doCheck, so it checks the key itself. */
    static void resize(Exchange ex) {
        requireApiKey(ex);
        RunningDispatcher dispatcher = ex.dispatcher();
        String name = (String) ex.pathParams().get("name");
        if (dispatcher.pools().stream().noneMatch(p -> p.name().equals(name))) {
            ex.respond(404, Map.of("error", "no pool named '" + name + "'"));
            return;
        }
        Object body;
        try {
            body = ex.json();
        } catch (IllegalArgumentException e) {
            body = null;
        }
        if (!(body instanceof Map<?, ?> map) || !(map.get("workers") instanceof Integer workers) || workers < 1
                || workers > 64) {
            ex.respond(400, Map.of("error", "expected {\"workers\": n} with n from 1 to 64"));
            return;
        }
        dispatcher.pool(name).resize(workers);
        ex.respond(Map.of("pool", name, "workers", workers));
    }

    /** The project version, filtered into {@code version.properties} by the build. */
    public static String projectVersion() {
        try (InputStream in = SimpleDispatcher.class.getResourceAsStream("/dev/uhttp/workers/examples/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
