package dev.uhttp.workers.examples.bench;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import java.util.Map;

/**
 * The benchmark's worker: {@code GET /w/hello} answers {@code {"hello":"world"}}, {@code POST /w/echo}
 * echoes the body bytes ({@code application/octet-stream}), {@code GET /w/pid} answers this worker's
 * process id and index (the restart measurement polls it), {@code GET /w/file/{name}} hands the file
 * {@code name} of the {@value #FILES} kwarg's directory back to the dispatcher.
 */
public class HelloWorker extends Worker {
    /** The kwarg naming the directory {@code /w/file/{name}} serves from. */
    public static final String FILES = "files";
    private static final Map<String, String> HELLO = Map.of("hello", "world");

    @Api(value = "/w/hello", methods = "GET")
    public Object hello(Request request) {
        return HELLO;
    }

    @Api(value = "/w/echo", methods = "POST")
    public Object echo(Request request) {
        return request.body();
    }

    @Api(value = "/w/file/{name}", methods = "GET")
    public Object file(Request request) {
        String name = String.valueOf(request.pathParam("name"));
        if (kwargs().get(FILES) == null || name.startsWith(".") || name.contains("/")) {
            return dev.uhttp.workers.api.Response.of(404, Map.of("error", "no such file"));
        }
        return dev.uhttp.workers.api.Response.file(java.nio.file.Path.of(kwargs().get(FILES).toString(), name));
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
