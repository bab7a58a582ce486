package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.RejectRequest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The dispatcher subclass the tests run: doCheck, sync handlers, onResponse forwarding. */
public class TestDispatcher extends Dispatcher {
    final AtomicInteger idleCalls = new AtomicInteger();

    @Override
    protected void doCheck(Client client) {
        if (client.header("x-deny") != null) {
            client.respond(Map.of("error", "unauthorized"), 401);
            throw new RejectRequest();
        }
        if (client.header("x-boom") != null) {
            throw new IllegalStateException("doCheck exploded");
        }
    }

    @Sync(value = "/health", methods = "GET")
    public void health(Client client) {
        client.respond(Map.of("status", "ok", "pools", status().pools()));
    }

    @Sync("/api/sync/{name}")
    public void apiSync(Client client) {
        client.respond(Map.of("sync", client.pathParams().get("name")));
    }

    @Sync("/static/shadowed.txt")
    public void shadowed(Client client) {
        client.respond("from sync");
    }

    @Sync(value = "/config/send", methods = "POST")
    public void sendConfig(Client client) {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) client.json();
        pool("ApiWorker").sendConfig(config);
        client.respond(Map.of("sent", true));
    }

    @Override
    protected void onResponse(WorkerResponse response, PendingRequest pending) {
        if (response.status() == 200 && pending.pool().name().equals("ApiWorker")
                && pending.client().path().equals("/api/echo")) {
            pool("StoreWorker").send("POST", "/store/items", response.json());
        }
    }

    @Override
    protected void onIdle() {
        idleCalls.incrementAndGet();
    }
}
