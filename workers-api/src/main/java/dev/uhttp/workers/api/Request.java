package dev.uhttp.workers.api;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as a worker sees it. Everything is parsed in the worker, lazily: the dispatcher only
 * forwards bytes.
 */
public interface Request {

    /** The dispatcher's id for this request; {@code -1} for fire-and-forget work sent with {@code pool.send}. */
    long id();

    /** The method, upper case ({@code GET}, {@code POST}, ...). */
    String method();

    /** The percent-decoded path with dot segments resolved, e.g. {@code /api/item/42}. */
    String path();

    /** The typed path parameters of the matched route: {@code int} as Integer, {@code float} as Double, else String. */
    Map<String, Object> pathParams();

    /** A path parameter as its type, or null when the route has no such parameter. */
    default Object pathParam(String name) {
        return pathParams().get(name);
    }

    /** An {@code int} path parameter. */
    default int intParam(String name) {
        Object v = pathParams().get(name);
        if (v instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalArgumentException("no int path parameter '" + name + "'");
    }

    /** The raw query string after {@code ?}, or the empty string. */
    String queryString();

    /** The query parameters, percent-decoded, each name with all its values in order. */
    Map<String, List<String>> query();

    /** The first value of query parameter {@code name}, or null. */
    default String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The headers, by case-insensitive name; repeated headers are joined with {@code ", "}. */
    Map<String, String> headers();

    /** The value of header {@code name} (case-insensitive), or null. */
    default String header(String name) {
        return headers().get(name);
    }

    /** The cookies of the {@code Cookie} header, parsed on first use. */
    Map<String, String> cookies();

    /** The value of cookie {@code name}, or null. */
    default String cookie(String name) {
        return cookies().get(name);
    }

    /** The {@code Content-Type} header, or null. */
    default String contentType() {
        return header("Content-Type");
    }

    /** The body as sent (chunked bodies already decoded); empty, never null. */
    byte[] body();

    /** The body decoded with the charset of the content type (UTF-8 when none is given). */
    String text();

    /**
     * The body parsed as JSON: a {@code Map<String, Object>}, {@code List<Object>}, String, Number,
     * Boolean, or null for an empty body.
     *
     * @throws IllegalArgumentException when the body is not valid JSON (answered 400 unless handled)
     */
    Object json();

    /**
     * The body parsed as JSON and bound to {@code type} (a record, a POJO, a Map, ...).
     *
     * @throws IllegalArgumentException when the body is not valid JSON for that type (answered 400 unless handled)
     */
    <T> T json(Class<T> type);

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /** Whether the client connected over TLS. */
    boolean isSecure();
}
