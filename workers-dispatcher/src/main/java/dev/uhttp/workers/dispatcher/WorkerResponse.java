package dev.uhttp.workers.dispatcher;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.uhttp.workers.worker.encoding.Json;
import java.nio.charset.StandardCharsets;

/**
 * A worker's answer, as {@link Dispatcher#onResponse} sees it. The body is kept as bytes; it is parsed
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

    public int status() {
        return status;
    }

    /** The value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
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
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, new TypeReference<Object>() { });
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("worker response is not JSON: " + e.getMessage(), e);
        }
    }
}
