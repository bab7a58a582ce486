package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.Headers;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.worker.encoding.Json;
import dev.uhttp.workers.worker.encoding.PlainJson;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import dev.uhttp.workers.worker.request.CookieParser;
import dev.uhttp.workers.worker.request.QueryParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One request and its response inside the dispatcher, as loop routes and the hooks see it: what the
 * client sent, and the means to answer it (the JDK's {@code HttpExchange}, Javalin's {@code Context};
 * the reference calls it the {@code client}). Use it on the dispatcher's loop thread only, while its
 * request lasts: once a loop route's answer has been written, reading from it throws
 * {@link IllegalStateException} and answering it does nothing (the dispatcher serves the connection's
 * next request with what it held; read what you need before answering).
 */
public final class Exchange {
    private static final String ENDED = "this request has been answered and its answer written: an Exchange serves"
            + " one request, read what you need from it before answering";
    // Made for every request on the loop: few fields, the rarely used ones in objects made when first asked for.
    private final HttpExchange exchange;
    /** The exchange's generation when this was made: another one means the request ended (the object serves a later one). */
    private final int generation;
    private Map<String, Object> pathParams = Map.of();
    private Parsed parsed;
    private final RunningDispatcher dispatcher;

    /** The query, cookies and header fields, parsed when first asked for; the client trusted proxies reported. */
    private static final class Parsed {
        Map<String, List<String>> query;
        Map<String, String> cookies;
        Headers headers;
        /** The client as trusted proxies reported it; null when that is the connection's peer and scheme. */
        Client reported;
    }

    private record Client(InetSocketAddress address, boolean secure) {
    }

    Exchange(HttpExchange exchange) {
        this(exchange, exchange.remoteAddress(), exchange.isSecure(), null);
    }

    /** With the client's address and scheme as trusted proxies reported them. */
    Exchange(HttpExchange exchange, InetSocketAddress remoteAddress, boolean secure, RunningDispatcher dispatcher) {
        this.exchange = exchange;
        this.generation = exchange.generation();
        this.dispatcher = dispatcher;
        if (remoteAddress != exchange.remoteAddress() || secure != exchange.isSecure()) {
            parsed().reported = new Client(remoteAddress, secure);
        }
    }

    private Parsed parsed() {
        if (parsed == null) {
            parsed = new Parsed();
        }
        return parsed;
    }

    /** Whether the request ended: its answer was written and the engine may use its exchange for another. */
    private boolean ended() {
        return exchange.generation() != generation;
    }

    /** The exchange while the request lasts; IllegalStateException after. */
    private HttpExchange live() {
        if (ended()) {
            throw new IllegalStateException(ENDED);
        }
        return exchange;
    }

    private Client reported() {
        return parsed == null ? null : parsed.reported;
    }

    /** The dispatcher serving this exchange: its pools, status, metrics (Javalin's {@code ctx.appData}). */
    public RunningDispatcher dispatcher() {
        return dispatcher;
    }

    HttpExchange exchange() {
        return exchange;
    }

    void pathParams(Map<String, Object> params) {
        this.pathParams = params;
    }

    public String method() {
        return live().method();
    }

    /**
     * The request's id: the client's {@code X-Request-Id} when sane (1 to 128 characters of
     * {@code A-Z a-z 0-9 . _ : -}), else one the dispatcher made. The response carries it back; the
     * worker sees it as {@code request.requestId()}; the access log shows it.
     */
    public String requestId() {
        return live().requestId();
    }

    /** The percent-decoded path with dot segments resolved. */
    public String path() {
        return live().path();
    }

    /** The typed parameters of the matched sync route (empty elsewhere). */
    public Map<String, Object> pathParams() {
        return Collections.unmodifiableMap(pathParams);
    }

    /** The raw query string, or the empty string. */
    public String queryString() {
        return live().query();
    }

    /** Query parameters, percent-decoded, each with all its values. */
    public Map<String, List<String>> query() {
        Parsed p = parsed();
        if (p.query == null) {
            p.query = QueryParser.parse(live().query());
        }
        return p.query;
    }

    /** The first value of query parameter {@code name}, or null. */
    public String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        return live().header(name);
    }

    /** The request's header fields as they arrived. */
    public Headers headers() {
        Parsed p = parsed();
        if (p.headers == null) {
            p.headers = Headers.of(live().headers());
        }
        return p.headers;
    }

    public Map<String, String> cookies() {
        Parsed p = parsed();
        if (p.cookies == null) {
            p.cookies = CookieParser.parse(live().header("Cookie"));
        }
        return p.cookies;
    }

    public String cookie(String name) {
        return cookies().get(name);
    }

    public byte[] body() {
        return live().body();
    }

    public String text() {
        return new String(live().body(), StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON (maps, lists, ...), null when empty; IllegalArgumentException when invalid. */
    public Object json() {
        return json(Object.class);
    }

    /** The body bound to {@code type} with JSON; IllegalArgumentException when invalid. */
    public <T> T json(Class<T> type) {
        byte[] body = live().body();
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, type);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("invalid JSON body: " + e.getMessage(), e);
        }
    }

    /**
     * The client's address: the connection's peer, or, when that peer is one of the dispatcher's
     * {@code trustedProxies}, the client those proxies reported ({@code Forwarded}, {@code X-Forwarded-For}).
     */
    public InetSocketAddress remoteAddress() {
        HttpExchange ex = live();
        Client reported = reported();
        return reported != null ? reported.address() : ex.remoteAddress();
    }

    /** The name of the listener the request came through ({@code "default"}: the dispatcher's port). */
    public String listener() {
        return live().listener();
    }

    /** Whether the client used TLS: to this dispatcher, or to the trusted proxy in front of it. */
    public boolean isSecure() {
        HttpExchange ex = live();
        Client reported = reported();
        return reported != null ? reported.secure() : ex.isSecure();
    }

    /** Whether this request has been answered. */
    public boolean isAnswered() {
        return ended() || exchange.isAnswered();
    }

    /** Answers 200 with {@code data}, converted as a worker's result is (JSON, text/html, bytes, Response). */
    public void respond(Object data) {
        if (ended()) {
            return; // its request ended (answered): ignored, as a second answer is
        }
        if (ResponseEncoder.isJsonData(data)) {
            PlainJson json = PlainJson.forThisThread();
            if (json.write(data)) { // the loop's reused buffer, copied into the answer: no arrays of its own
                exchange.respondCopy(200, ResponseEncoder.jsonHeaders(), json.buffer(), json.length());
                return;
            }
        }
        ResponseEncoder.Encoded e = ResponseEncoder.encode(data);
        if (e.file() != null) { // Response.file: the dispatcher's own code is trusted with any path
            dev.uhttp.workers.dispatcher.staticfiles.FileRoots.respond(exchange, Path.of(e.file()), e.headers());
            return;
        }
        exchange.respond(e.status(), e.headers(), e.body());
    }

    /** Answers {@code status} with {@code data}. */
    public void respond(int status, Object data) {
        respond(data instanceof Response r ? r : Response.of(status, data));
    }

    /** Answers {@code status} with {@code data}, extra headers and cookies. */
    public void respond(int status, Object data, Map<String, String> headers, List<Cookie> cookies) {
        Response response = Response.of(status, data);
        if (headers != null) {
            headers.forEach(response::header);
        }
        if (cookies != null) {
            cookies.forEach(response::cookie);
        }
        respond(response);
    }

    /** Answers with a file (content type by extension, Last-Modified, 304, HEAD); 404 when missing. */
    public void respondFile(Path file) {
        if (ended()) {
            return;
        }
        exchange.respondFile(file, dev.uhttp.workers.dispatcher.staticfiles.MimeTypes.forPath(file), new String[0]);
    }

    /** Answers 302 to {@code location}. */
    public void respondRedirect(String location) {
        respond(Response.redirect(location));
    }

    /** Answers {@code status} (a 3xx) to {@code location}. */
    public void respondRedirect(int status, String location) {
        respond(Response.redirect(status, location));
    }

    @Override
    public String toString() {
        return ended() ? "an ended request" : exchange.method() + " " + exchange.path();
    }
}
