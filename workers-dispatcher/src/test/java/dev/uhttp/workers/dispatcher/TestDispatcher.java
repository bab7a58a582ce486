package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.RejectRequest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The dispatcher subclass the tests run: doCheck, sync handlers, onResponse forwarding. */
public class TestDispatcher extends Dispatcher {
    final AtomicInteger idleCalls = new AtomicInteger();

    @Override
    protected void doCheck(Exchange client) {
        if (client.header("x-deny") != null) {
            client.respond(401, Map.of("error", "unauthorized"));
            throw new RejectRequest();
        }
        if (client.header("x-boom") != null) {
            throw new IllegalStateException("doCheck exploded");
        }
    }

    @LoopRoute(value = "/health", methods = "GET")
    public void health(Exchange client) {
        client.respond(Map.of("status", "ok", "pools", status().pools()));
    }

    @LoopRoute("/api/sync/{name}")
    public void apiSync(Exchange client) {
        client.respond(Map.of("sync", client.pathParams().get("name")));
    }

    @LoopRoute("/static/shadowed.txt")
    public void shadowed(Exchange client) {
        client.respond("from sync");
    }

    @LoopRoute(value = "/config/send", methods = "POST")
    public void sendConfig(Exchange client) {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) client.json();
        pool("ApiWorker").sendConfig(config);
        client.respond(Map.of("sent", true));
    }

    @Override
    protected void onResponse(WorkerResponse response, PoolRequest pending) {
        if (response.status() == 200 && pending.pool().name().equals("ApiWorker")
                && pending.exchange().path().equals("/api/echo")) {
            pool("StoreWorker").send("POST", "/store/items", response.json());
        }
    }

    @Override
    protected void onIdle() {
        idleCalls.incrementAndGet();
    }
}
