package dev.uhttp.workers.examples.readme;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;

/** README: a second pool that receives fire-and-forget work from onResponse. */
public class AuditWorker extends Worker {
    @Api(value = "/audit/created", methods = "POST")
    public Object created(Request request) {
        log.info("created: {}", request.text());
        return null;
    }
}
