package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Headers;
import java.nio.charset.StandardCharsets;

/**
 * Fire-and-forget work a worker forwarded with {@code Worker.forward(route, data)} (the reference's
 * {@code forward}), as the {@code onForward} hook sees it: its route and its data, encoded by the
 * worker as a handler's result is (JSON, text, bytes). The body is parsed only if {@link #json()} is called.
 */
public final class ForwardedWork {
    private final String route;
    private final String[] headers;
    private final byte[] body;

    ForwardedWork(String route, String[] headers, byte[] body) {
        this.route = route;
        this.headers = headers;
        this.body = body;
    }

    String[] rawHeaders() {
        return headers;
    }

    byte[] rawBody() {
        return body;
    }

    /** The route the worker forwarded it to, e.g. {@code /jobs/index}. */
    public String route() {
        return route;
    }

    /** Its header fields (its {@code Content-Type}). */
    public Headers headers() {
        return Headers.of(headers);
    }

    /** The data as the worker encoded it. */
    public byte[] body() {
        return body.clone();
    }

    /** The data as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The data parsed as JSON (maps, lists, strings, numbers, booleans), or null when empty.
     *
     * @throws IllegalArgumentException when it is not JSON
     */
    public Object json() {
        return WorkerResponse.parseJson(body, "forwarded data");
    }

    @Override
    public String toString() {
        return "forward to " + route + " (" + body.length + " bytes)";
    }
}
