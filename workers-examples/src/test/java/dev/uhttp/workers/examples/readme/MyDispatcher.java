package dev.uhttp.workers.examples.readme;

import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.Dispatcher;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.LoopRoute;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.WorkerResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** README quick start: the dispatcher (one process, owns every connection). */
public class MyDispatcher extends Dispatcher {
    private static final Set<String> VALID_KEYS = Set.of("key-1", "key-2");

    @Override
    protected void doCheck(Exchange client) {
        if (!VALID_KEYS.contains(client.header("x-api-key"))) {
            client.respond(401, Map.of("error", "unauthorized"));
            throw new RejectRequest();
        }
    }

    @LoopRoute(value = "/health", methods = "GET")
    public void health(Exchange client) {
        client.respond(Map.of("status", "ok", "pools", status().pools()));
    }

    @Override
    protected void onResponse(WorkerResponse response, PoolRequest pending) {
        if (response.status() == 201 && pending.pool().name().equals("items")) {
            pool("audit").send("POST", "/audit/created", response.json());
        }
    }

    public static void main(String[] args) {
        new MyDispatcher()
                .port(8080)
                .pool(WorkerPool.of(ItemWorker.class).name("items")
                                .workers(4)
                                .routes("/api/**")
                                .timeout(Duration.ofSeconds(30)),
                        WorkerPool.of(AuditWorker.class).name("audit")
                                .routes("/audit/**"))
                .staticRoute("/static/", Path.of("static"))
                .run();   // until SIGTERM / SIGINT, then a graceful shutdown
    }
}
