package dev.uhttp.workers.examples.readme;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** README quick start: a worker (runs in its own JVM). */
public class ItemWorker extends Worker {
    private Map<Integer, Map<String, Object>> items;
    private int nextId;

    @Override
    public void setup() {
        items = new HashMap<>();   // per process: open databases, load models, ...
        nextId = 1;
    }

    /** The body of POST /api/items. */
    public record NewItem(String name) {
    }

    @Api(value = "/api/items", methods = "GET")
    public Object list(Request request) {
        return Map.of("items", new ArrayList<>(items.values()));
    }

    @Api(value = "/api/items", methods = "POST")
    public Object create(Request request) {
        NewItem body = request.json(NewItem.class);     // JSON bound to a record
        Map<String, Object> item = new HashMap<>(Map.of("id", nextId, "name", body.name()));
        items.put(nextId++, item);
        return Response.of(201, item);
    }

    @Api(value = "/api/item/{id:int}", methods = "GET")
    public Object get(Request request) {
        Map<String, Object> item = items.get(request.intParam("id"));
        if (item == null) {
            return Response.of(404, Map.of("error", "Not found"));
        }
        return item;
    }

    /** Handlers group routes under a prefix; listed here, made once per worker. */
    @Override
    public List<Class<? extends dev.uhttp.workers.api.ApiHandler<?>>> handlers() {
        return List.of(UserHandler.class);
    }
}
