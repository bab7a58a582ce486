package dev.uhttp.workers.examples.bench;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import java.util.Map;

/**
 * The benchmark's worker: {@code GET /w/hello} answers {@code {"hello":"world"}}, {@code POST /w/echo}
 * echoes the body bytes ({@code application/octet-stream}), {@code GET /w/pid} answers this worker's
 * process id and index (the restart measurement polls it).
 */
public class HelloWorker extends Worker {
    private static final Map<String, String> HELLO = Map.of("hello", "world");

    @Api(value = "/w/hello", methods = "GET")
    public Object hello(Request request) {
        return HELLO;
    }

    @Api(value = "/w/echo", methods = "POST")
    public Object echo(Request request) {
        return request.body();
    }

    /** {@code POST /w/sha256}: the streamed body's digest, {@code {"sha256": hex, "bytes": n}} (issue 15). */
    @Api(value = "/w/sha256", methods = "POST")
    public Object sha256(Request request) throws java.io.IOException {
        return Sha256.of(request.bodyStream());
    }

    @Api(value = "/w/pid", methods = "GET")
    public Object pid(Request request) {
        return Map.of("pid", ProcessHandle.current().pid(), "worker", workerId());
    }
}
