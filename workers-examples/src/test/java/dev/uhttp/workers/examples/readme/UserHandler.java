package dev.uhttp.workers.examples.readme;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.Request;
import java.util.Map;

/** README: a handler groups routes under the prefix given by @Api on the class. */
@Api("/api/user")
public class UserHandler extends ApiHandler<ItemWorker> {

    @Api(value = "", methods = "GET")                 // GET /api/user
    public Object list(Request request) {
        return Map.of("users", java.util.List.of());
    }

    @Api(value = "/{id:int}", methods = "GET")        // GET /api/user/42
    public Object get(Request request) {
        log().info("user {} asked by worker {}", request.intParam("id"), worker().workerId());
        return Map.of("id", request.intParam("id"));
    }
}
