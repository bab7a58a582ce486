package dev.uhttp.workers.worker.encoding;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a handler result into status, headers and body bytes, the same way in a worker and in the
 * dispatcher's sync handlers:
 * <ul>
 *   <li>{@link Map}, {@link List}, record or other object: JSON, {@code application/json};</li>
 *   <li>{@link CharSequence}: {@code text/html; charset=UTF-8};</li>
 *   <li>{@code byte[]}: {@code application/octet-stream};</li>
 *   <li>{@code null}: 200 with an empty body and no {@code Content-Type};</li>
 *   <li>{@link Response}: its status, its headers (a {@code Content-Type} given there wins over the
 *       implied one), its cookies as {@code Set-Cookie}, its data converted as above.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class ResponseEncoder {

    /** {@code application/json}. */
    public static final String JSON = "application/json";
    /** {@code text/html; charset=UTF-8}. */
    public static final String TEXT = "text/html; charset=UTF-8";
    /** {@code application/octet-stream}. */
    public static final String BINARY = "application/octet-stream";

    private static final byte[] EMPTY = new byte[0];
    private static final String[] NO_HEADERS = new String[0];
    private static final String[] JSON_HEADERS = {"Content-Type", JSON};

    private ResponseEncoder() {
    }

    /**
     * An encoded response.
     *
     * @param status  the HTTP status
     * @param headers flat {@code [name0, value0, name1, value1, ...]}, without {@code Content-Length}
     * @param body    the body bytes, empty (never null) for no body
     * @param file    the absolute path of a file the dispatcher sends instead of a body
     *                ({@link Response#file}), or null
     */
    public record Encoded(int status, String[] headers, byte[] body, String file) {

        /** A response with a body. */
        public Encoded(int status, String[] headers, byte[] body) {
            this(status, headers, body, null);
        }

        /** The first value of header {@code name} (case-insensitive), or null. */
        public String header(String name) {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                if (headers[i].equalsIgnoreCase(name)) {
                    return headers[i + 1];
                }
            }
            return null;
        }
    }

    /**
     * Encodes {@code result} with status 200 (or the {@link Response}'s own status).
     *
     * @throws IllegalArgumentException when the data cannot be serialised as JSON
     */
    public static Encoded encode(Object result) {
        if (result instanceof Response response) {
            return encodeResponse(response);
        }
        Body body = body(result);
        return new Encoded(200, body.contentType == null ? NO_HEADERS
                : new String[] {"Content-Type", body.contentType}, body.bytes);
    }

    /**
     * The headers of a plain JSON answer ({@code Content-Type: application/json}), for a caller that
     * wrote the body with {@link PlainJson}: a shared array, not to be changed.
     */
    public static String[] jsonHeaders() {
        return JSON_HEADERS;
    }

    /**
     * Whether {@link #encode(Object)} would take {@code result} as JSON data (not a {@link Response},
     * text, bytes or null): a caller may try {@link PlainJson} on it first.
     */
    public static boolean isJsonData(Object result) {
        return result != null && !(result instanceof Response) && !(result instanceof byte[])
                && !(result instanceof CharSequence);
    }

    /** Encodes {@code data} with {@code status}: the reference's {@code return data, status}. */
    public static Encoded encode(int status, Object data) {
        return encode(Response.of(status, data));
    }

    private static Encoded encodeResponse(Response response) {
        Body body = body(response.data());
        List<String> headers = new ArrayList<>(2 * (response.headers().size() + response.cookies().size() + 1));
        boolean explicitType = false;
        for (Map.Entry<String, String> h : response.headers()) {
            explicitType |= h.getKey().equalsIgnoreCase("Content-Type");
            headers.add(h.getKey());
            headers.add(h.getValue());
        }
        if (!explicitType && body.contentType != null) {
            headers.add(0, "Content-Type");
            headers.add(1, body.contentType);
        }
        for (Cookie cookie : response.cookies()) {
            headers.add("Set-Cookie");
            headers.add(cookie.toSetCookie());
        }
        return new Encoded(response.status(), headers.toArray(NO_HEADERS), body.bytes,
                response.file() == null ? null : response.file().toString());
    }

    private record Body(String contentType, byte[] bytes) {
    }

    private static Body body(Object data) {
        if (data == null) {
            return new Body(null, EMPTY);
        }
        if (data instanceof byte[] bytes) {
            return new Body(BINARY, bytes);
        }
        if (data instanceof CharSequence text) {
            return new Body(TEXT, text.toString().getBytes(StandardCharsets.UTF_8));
        }
        PlainJson plain = PlainJson.forThisThread();
        if (plain.write(data)) {
            return new Body(JSON, plain.toByteArray()); // the same bytes as Jackson's, without its objects
        }
        try {
            return new Body(JSON, Json.mapper().writeValueAsBytes(data));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise a " + data.getClass().getName()
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
