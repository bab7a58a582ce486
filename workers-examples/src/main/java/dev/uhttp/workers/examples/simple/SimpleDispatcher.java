package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.Dispatcher;
import dev.uhttp.workers.dispatcher.LoopRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The simple example's dispatcher (the reference's {@code simple_workers}): authentication for the
 * pools, three sync handlers answered in the dispatcher itself, and a post-response hook that forwards
 * every computed result to the storage pool. {@link SimpleExample#dispatcher} adds the pools and the
 * demo page.
 *
 * <ul>
 *   <li>{@link #doCheck}: requests for a pool need the header {@code x-api-key: demo-key-1} (or
 *       {@code demo-key-2}), else 401 {@code {"error":"unauthorized"}}; static files and sync handlers
 *       are not checked;</li>
 *   <li>{@code GET /}: 302 to the demo page, {@code GET /health}: the pools and their workers,
 *       {@code GET /version}: the project version;</li>
 *   <li>{@code POST /admin/pools/{name}/size} with {@code {"workers": n}} and the API key: resizes a pool;</li>
 *   <li>the compute workers {@code forward} each successful result to the storage pool, as an item named
 *       {@code result: ...} (the dispatcher's default {@code onForward} queues it there).</li>
 * </ul>
 */
public class SimpleDispatcher extends Dispatcher {
    /** The API keys {@link #doCheck} accepts. */
    public static final Set<String> API_KEYS = Set.of("demo-key-1", "demo-key-2");
    /** The name of the compute pool, whose workers forward their results to storage. */
    public static final String COMPUTE = "compute";
    /** The name of the storage pool the results go to. */
    public static final String STORAGE = "storage";
    /** Where {@code GET /} redirects. */
    public static final String INDEX = "/static/index.html";

    /** The name of the admin listener ({@code --admin-port}). */
    public static final String ADMIN = "admin";

    private final String version = projectVersion();
    private boolean adminOnly;

    /** With an admin listener: {@code /health} and {@code /admin/**} are served only there (404 elsewhere). */
    public SimpleDispatcher adminOnly(boolean adminOnly) {
        this.adminOnly = adminOnly;
        return this;
    }

    @Override
    protected void doCheckSync(Exchange client) {
        String path = client.path();
        if (adminOnly && !ADMIN.equals(client.listener()) && (path.equals("/health") || path.startsWith("/admin/"))) {
            client.respond(404, Map.of("error", "Not found"));
            throw new RejectRequest();
        }
    }
    private Runnable onListening = () -> { };

    /** Runs {@code action} once the dispatcher listens (on its thread, before the first request). */
    public SimpleDispatcher onListening(Runnable action) {
        this.onListening = action;
        return this;
    }

    @Override
    protected void onStart() {
        onListening.run();
    }

    @Override
    protected void doCheck(Exchange client) {
        String key = client.header("x-api-key");
        if (key == null || !API_KEYS.contains(key)) {
            client.respond(401, Map.of("error", "unauthorized"));
            throw new RejectRequest();
        }
    }

    @LoopRoute(value = "/", methods = "GET")
    public void index(Exchange client) {
        client.respondRedirect(INDEX);
    }

    @LoopRoute(value = "/health", methods = "GET")
    public void health(Exchange client) {
        Status status = status();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "ok");
        answer.put("pending", status.pending());
        answer.put("pools", status.pools());
        client.respond(answer);
    }

    /** Resizes a pool at run time; sync routes are not covered by doCheck, so it checks the key itself. */
    @LoopRoute(value = "/admin/pools/{name}/size", methods = "POST")
    public void resize(Exchange client) {
        doCheck(client);
        String name = (String) client.pathParams().get("name");
        if (status().pools().stream().noneMatch(p -> p.name().equals(name))) {
            client.respond(404, Map.of("error", "no pool named '" + name + "'"));
            return;
        }
        Object body;
        try {
            body = client.json();
        } catch (IllegalArgumentException e) {
            body = null;
        }
        if (!(body instanceof Map<?, ?> map) || !(map.get("workers") instanceof Integer workers) || workers < 1
                || workers > 64) {
            client.respond(400, Map.of("error", "expected {\"workers\": n} with n from 1 to 64"));
            return;
        }
        pool(name).resize(workers);
        client.respond(Map.of("pool", name, "workers", workers));
    }

    @LoopRoute(value = "/version", methods = "GET")
    public void version(Exchange client) {
        client.respond(Map.of("version", version));
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
