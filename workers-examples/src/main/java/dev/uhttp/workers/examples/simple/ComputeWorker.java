package dev.uhttp.workers.examples.simple;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.examples.bench.Sha256;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The compute pool's worker: CPU work that runs in its own JVM, so a slow or crashing computation
 * never stalls the dispatcher or the other pools. Routes are declared directly on the worker.
 *
 * <p>Settings ({@code WorkerPool.kwarg}): {@value #FILES}, the directory {@code /api/compute/file/{name}}
 * serves from (the pool's file root).
 */
public class ComputeWorker extends Worker {
    /** The kwarg naming the directory of files this worker hands back to the dispatcher. */
    public static final String FILES = "files";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A plain file name: no separators, no leading dot (so neither {@code ..} nor hidden files). */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

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
        return forwarded(answer);
    }

    /** {@code POST /api/compute/echo}: {@code {"echo": <the posted JSON>}}, after about 100 ms of "work". */
    @Api(value = "/api/compute/echo", methods = "POST")
    public Object echo(Request request) throws InterruptedException {
        Object data = request.json(); // invalid JSON: 400 from the runtime
        Thread.sleep(100); // simulated work
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("echo", data);
        return forwarded(answer);
    }

    /** {@code GET /api/compute/primes?limit=N}: an NDJSON stream, one {@code {"prime": p}} per line, for every prime up to N. */
    @Api(value = "/api/compute/primes", methods = "GET")
    public Object primes(Request request) {
        String limitParam = request.queryParam("limit");
        int limit;
        try {
            limit = limitParam == null ? 100 : Integer.parseInt(limitParam);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 2 || limit > 10_000_000) {
            return reply(400, Map.of("error", "limit must be a number from 2 to 10000000"));
        }
        request.responseNdjson();
        boolean[] composite = new boolean[limit + 1];
        for (int p = 2; p <= limit && request.isOpen(); p++) {
            if (!composite[p]) {
                request.sendNdjson(Map.of("prime", p));
                for (long m = (long) p * p; m <= limit; m += p) {
                    composite[(int) m] = true;
                }
            }
        }
        request.responseStreamEnd();
        return DEFERRED;
    }

    /**
     * {@code GET /api/compute/file/{name}}: the file {@code name} of the files directory, sent by the
     * dispatcher (zero-copy, with {@code Range}, {@code HEAD} and {@code If-Modified-Since}); the
     * worker only decides which file, so its JVM never reads the bytes. 404 for a name that is not a
     * file there.
     */
    @Api(value = "/api/compute/file/{name}", methods = "GET")
    public Object file(Request request) {
        String name = String.valueOf(request.pathParam("name"));
        Object dir = kwargs().get(FILES);
        if (dir == null || !FILE_NAME.matcher(name).matches()) {
            return reply(404, Map.of("error", "no such file"));
        }
        Path file = Path.of(dir.toString(), name);
        if (!Files.isRegularFile(file)) {
            return reply(404, Map.of("error", "no such file: " + name));
        }
        return Response.file(file).header(Replies.WORKER_HEADER,
                poolName() + "[" + workerId() + "] pid " + ProcessHandle.current().pid());
    }

    /**
     * {@code GET /api/compute/busy/{ms}}: keeps a CPU busy for {@code ms} milliseconds (at most 60 s) in
     * {@link #burnCpuBusyLoop}, for the slowlog ({@code --slow-request-ms}) to catch:
     * {@code {"ms": ms, "iterations": n}}.
     */
    @Api(value = "/api/compute/busy/{ms:int}", methods = "GET")
    public Object busy(Request request) {
        int ms = request.intParam("ms");
        if (ms < 0 || ms > 60_000) {
            return reply(400, Map.of("error", "ms must be between 0 and 60000, got " + ms));
        }
        return reply(200, Map.of("ms", ms, "iterations", burnCpuBusyLoop(ms)));
    }

    /** Spins for {@code millis}, never sleeping: the name says what a stack taken meanwhile shows. */
    static long burnCpuBusyLoop(int millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long iterations = 0;
        while (System.nanoTime() - end < 0) {
            iterations++;
        }
        return iterations;
    }

    /** {@code GET /api/compute/whoami}: the client as the worker sees it (behind trusted proxies too). */
    @Api(value = "/api/compute/whoami", methods = "GET")
    public Object whoami(Request request) {
        return reply(200, Map.of("remote", request.remoteAddress().getAddress().getHostAddress(),
                "secure", request.isSecure()));
    }

    /**
     * {@code POST /api/compute/sha256}: {@code {"sha256": "<hex>", "bytes": n}} of the posted body, up to
     * the pool's 8 GiB: the body streams through the digest while it arrives ({@code bodyStream()}), in
     * constant memory, and the upload goes at the digest's pace.
     */
    @Api(value = "/api/compute/sha256", methods = "POST")
    public Object sha256(Request request) throws java.io.IOException {
        return reply(200, Sha256.of(request.bodyStream()));
    }

    /**
     * A successful result: answered, and forwarded to whichever pool serves {@code /api/items/results}
     * (the storage pool, which stores it in batches and keeps the newest) as an item named
     * {@code result: <the answer's JSON>}, fire-and-forget.
     */
    private Response forwarded(Map<String, Object> answer) {
        try {
            forward("/api/items/results", Map.of("name", ResultBatch.PREFIX + JSON.writeValueAsString(answer)));
        } catch (JsonProcessingException e) {
            log().warning("result not forwarded: {}", e.getMessage());
        }
        return reply(200, answer);
    }

    private Response reply(int status, Object data) {
        return Replies.reply(this, status, data);
    }
}
