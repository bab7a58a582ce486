package dev.uhttp.workers.api;

import dev.uhttp.workers.api.internal.HeaderRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An explicit response: status, headers, cookies and data.
 *
 * <p>A handler may return any of these, and the same conversion applies to {@link #data()}:
 * <ul>
 *   <li>a {@link Map}, {@link List}, record or other object: JSON ({@code application/json});</li>
 *   <li>a {@link String} or other {@link CharSequence}: {@code text/html; charset=UTF-8};</li>
 *   <li>{@code byte[]}: {@code application/octet-stream};</li>
 *   <li>{@code null}: an empty body;</li>
 *   <li>a {@code Response}: as given.</li>
 * </ul>
 * A {@code Content-Type} header set here wins over the one the data implies.
 *
 * <pre>{@code
 * return Response.of(404, Map.of("error", "no such item"));      // the reference's `return data, 404`
 * return Response.of(201, item).header("Location", "/api/item/" + id);
 * return Response.redirect("/login");
 * return Response.file(reportsDir.resolve(name)).header("Content-Disposition", "attachment");
 * }</pre>
 *
 * <p>Not thread-safe; build it in the thread that returns it.
 */
public final class Response {
    private final int status;
    private final Object data;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>(2);
    private final List<Cookie> cookies = new ArrayList<>(0);
    private Path file;

    private Response(int status, Object data) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("invalid HTTP status: " + status);
        }
        if (data instanceof Response) {
            throw new IllegalArgumentException("a Response cannot be the data of another Response");
        }
        this.status = status;
        this.data = data;
    }

    /** 200 with {@code data}. */
    public static Response of(Object data) {
        return new Response(200, data);
    }

    /** {@code status} with {@code data}. */
    public static Response of(int status, Object data) {
        return new Response(status, data);
    }

    /** {@code status} with an empty body. */
    public static Response status(int status) {
        return new Response(status, null);
    }

    /**
     * The file at {@code file}, sent by the dispatcher itself (nginx's {@code X-Accel-Redirect}): only its
     * path crosses to the dispatcher, which sends the bytes zero-copy with {@code Content-Length},
     * {@code Content-Type} (from the file name unless {@link #contentType} sets one),
     * {@code Last-Modified}, and answers {@code HEAD}, {@code If-Modified-Since} (304) and
     * {@code Range} (206, 416) as for its static routes. Headers and cookies set here are sent too.
     *
     * <p>The file must be a regular file under one of the directories the pool allows
     * ({@code WorkerPool.fileRoots}), after symlinks and {@code ..} are resolved; anything else is
     * answered 502 and logged by the dispatcher. A relative path is taken against the worker's working
     * directory.
     */
    public static Response file(Path file) {
        Response r = new Response(200, null);
        r.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        return r;
    }

    /** 302 Found to {@code location}. */
    public static Response redirect(String location) {
        return redirect(302, location);
    }

    /** A redirect ({@code 301}, {@code 302}, {@code 303}, {@code 307} or {@code 308}) to {@code location}. */
    public static Response redirect(int status, String location) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        return new Response(status, null).header("Location", location);
    }

    /**
     * Adds a header (may repeat). The name must be an HTTP token, the value Latin-1 without control
     * characters (percent-encode URLs); anything else is an IllegalArgumentException naming it.
     */
    public Response header(String name, String value) {
        checkHeader(name, value);
        headers.add(Map.entry(name, value));
        return this;
    }

    /** Sets the content type, overriding the one the data implies. */
    public Response contentType(String contentType) {
        return header("Content-Type", contentType);
    }

    /** Adds a cookie ({@code Set-Cookie}). */
    public Response cookie(Cookie cookie) {
        cookies.add(Objects.requireNonNull(cookie, "cookie"));
        return this;
    }

    /** Adds a session cookie with no attributes. */
    public Response cookie(String name, String value) {
        return cookie(Cookie.of(name, value));
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The data to encode as the body (as a handler's result is); null for a file response. */
    public Object data() {
        return data;
    }

    /** The file the dispatcher sends ({@link #file(Path)}), absolute; null for a response with data. */
    public Path file() {
        return file;
    }

    /** The headers in the order they were added. */
    public List<Map.Entry<String, String>> headers() {
        return Collections.unmodifiableList(headers);
    }

    /** The cookies to set, in the order they were added. */
    public List<Cookie> cookies() {
        return Collections.unmodifiableList(cookies);
    }

    private static void checkHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        HeaderRules.check(name, value);
    }

    @Override
    public String toString() {
        return "Response[" + status + "]";
    }
}
