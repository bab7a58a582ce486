package dev.uhttp.workers.worker.testworkers;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Worker;

/** A worker with a route method that takes the wrong parameter. */
public class BadRouteWorker extends Worker {
    @Api("/bad")
    public Object bad(String notARequest) {
        return notARequest;
    }
}
