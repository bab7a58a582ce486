package dev.uhttp.workers.worker.testworkers;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import java.util.Map;

/** Inherits every route of {@link UserHandler}, under {@code /api/admin}, and adds one. */
@Api("/api/admin")
public class AdminUserHandler extends UserHandler {

    @Api(value = "/stats", methods = "GET")
    public Object stats(Request request) {
        return Map.of("admin", true);
    }
}
