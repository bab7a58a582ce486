package dev.uhttp.workers.examples.readme;

import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.dispatcher.DispatcherConfig;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.WorkerResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** README quick start: the dispatcher (one process, owns every connection). */
public final class MyDispatcher {
    private static final Set<String> VALID_KEYS = Set.of("key-1", "key-2");

    static void requireKey(Exchange ex) {
        if (!VALID_KEYS.contains(ex.header("x-api-key"))) {
            ex.respond(401, Map.of("error", "unauthorized"));
            throw new RejectRequest();
        }
    }

    static void auditCreated(WorkerResponse response, PoolRequest request) {
        if (response.status() == 201 && request.pool().name().equals("items")) {
            request.exchange().dispatcher().pool("audit").send("POST", "/audit/created", response.json());
        }
    }

    public static void main(String[] args) {
        DispatcherConfig.builder()
                .port(8080)
                .pool(WorkerPool.of(ItemWorker.class).name("items")
                                .workers(4)
                                .routes("/api/**")
                                .timeout(Duration.ofSeconds(30)),
                        WorkerPool.of(AuditWorker.class).name("audit")
                                .routes("/audit/**"))
                .staticRoute("/static/", Path.of("static"))
                .get("/health", ex -> ex.respond(Map.of("status", "ok", "pools", ex.dispatcher().status().pools())))
                .doCheck(MyDispatcher::requireKey)
                .onResponse(MyDispatcher::auditCreated)
                .runMain();   // until SIGTERM / SIGINT, then a graceful shutdown; a setup error: one line, exit 2
    }
}
