package dev.uhttp.workers.dispatcher;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.uhttp.workers.api.Headers;
import dev.uhttp.workers.worker.encoding.Json;
import java.nio.charset.StandardCharsets;

/**
 * A worker's answer to a request, as {@link Dispatcher#onResponse} sees it after it was sent. The body is kept as bytes; it is parsed
 * only if {@link #json()} is called.
 */
public final class WorkerResponse {
    private final int status;
    private final String[] headers;
    private final byte[] body;

    WorkerResponse(int status, String[] headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    String[] rawHeaders() {
        return headers;
    }

    byte[] rawBody() {
        return body;
    }

    /** The HTTP status the worker answered. */
    public int status() {
        return status;
    }

    /** The value of header {@code name} (case-insensitive; the first when repeated), or null. */
    public String header(String name) {
        return headers().first(name);
    }

    /** The answer's header fields, as the worker set them. */
    public Headers headers() {
        return Headers.of(headers);
    }

    /** The body as sent to the client. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as JSON (maps, lists, strings, numbers, booleans), or null when empty.
     *
     * @throws IllegalArgumentException when the body is not JSON
     */
    public Object json() {
        return parseJson(body, "worker response");
    }

    static Object parseJson(byte[] body, String what) {
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, new TypeReference<Object>() { });
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage(), e);
        }
    }
}
