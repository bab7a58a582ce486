package dev.uhttp.workers.worker.testworkers;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.Request;
import java.util.Map;

/** Routes under {@code /api/user}. */
@Api("/api/user")
public class UserHandler extends ApiHandler<TestWorker> {

    @Api(value = "", methods = "GET")
    public Object list(Request request) {
        return Map.of("users", worker().users(), "handler", getClass().getSimpleName());
    }

    @Api(value = "/{id:int}", methods = "GET")
    public Object get(Request request) {
        return Map.of("id", request.intParam("id"), "handler", getClass().getSimpleName());
    }

    @Api(value = "/{id:int}", methods = "DELETE")
    public Object delete(Request request) {
        return Map.of("deleted", request.intParam("id"));
    }
}
