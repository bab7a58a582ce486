package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compute pool's worker: CPU work that runs in its own JVM, so a slow or crashing computation
 * never stalls the dispatcher or the other pools. Routes are declared directly on the worker.
 */
public class ComputeWorker extends Worker {
    /** The largest n for which the factorial is computed (its result has 2568 digits). */
    public static final int MAX_N = 1000;

    /** {@code GET /api/compute/factorial/{n}}: {@code {"n": n, "factorial": "<decimal string>"}}. */
    @Api(value = "/api/compute/factorial/{n:int}", methods = "GET")
    public Object factorial(Request request) {
        int n = request.intParam("n");
        if (n < 0 || n > MAX_N) {
            return reply(400, Map.of("error", "n must be between 0 and " + MAX_N + ", got " + n));
        }
        BigInteger result = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            result = result.multiply(BigInteger.valueOf(i));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("n", n);
        // A string: JSON numbers this large lose precision in most clients (JavaScript among them).
        answer.put("factorial", result.toString());
        return reply(200, answer);
    }

    /** {@code POST /api/compute/echo}: {@code {"echo": <the posted JSON>}}, after about 100 ms of "work". */
    @Api(value = "/api/compute/echo", methods = "POST")
    public Object echo(Request request) throws InterruptedException {
        Object data = request.json(); // invalid JSON: 400 from the runtime
        Thread.sleep(100); // simulated work
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("echo", data);
        return reply(200, answer);
    }

    private Response reply(int status, Object data) {
        return Replies.reply(this, status, data);
    }
}
