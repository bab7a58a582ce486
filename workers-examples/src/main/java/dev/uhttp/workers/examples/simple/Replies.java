package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;

/** The answers of the example's workers, marked with the worker that made them. */
final class Replies {
    /** The response header naming the worker that answered, e.g. {@code storage[1] pid 4242}. */
    static final String WORKER_HEADER = "X-Worker";

    private Replies() {
    }

    /**
     * {@code data} with {@code status} and the header {@value #WORKER_HEADER}, so that clients and
     * the demo page can watch requests spread over a pool's workers.
     */
    static Response reply(Worker worker, int status, Object data) {
        return Response.of(status, data).header(WORKER_HEADER,
                worker.poolName() + "[" + worker.workerId() + "] pid " + ProcessHandle.current().pid());
    }
}
