package dev.uhttp.workers.api;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as a worker sees it. Everything is parsed in the worker, lazily: the dispatcher only
 * forwards bytes.
 *
 * <h2>Answering later: deferred responses and streams</h2>
 * A handler usually answers by returning its result. To answer later, it keeps the request, returns
 * {@link Worker#DEFERRED}, and calls {@link #respond(int, Object)} when the answer is ready; or it
 * opens a stream with {@link #responseStream()} and sends {@link #sendEvent Server-Sent Events} or
 * {@link #sendChunk raw chunks} until {@link #responseStreamEnd()}:
 *
 * <pre>{@code
 * @Api("/slow")
 * public Object slow(Request request) {
 *     jobs.submit(() -> request.respond(Map.of("result", compute())));   // from any thread
 *     return DEFERRED;
 * }
 *
 * @Api("/events")
 * public Object events(Request request) {
 *     request.responseStream();                                           // text/event-stream
 *     request.sendEvent(Map.of("status", "connected"), "open");
 *     subscribers.add(request);                                           // events follow from onIdle etc.
 *     return DEFERRED;
 * }
 * }</pre>
 *
 * <p>A deferred request frees its worker at once: the worker takes further requests while the
 * request stays open. It is still answered 504 when the pool's {@code timeout} passes unless
 * {@link #keepAlive()} restarts that clock; a streaming request has no timeout. When the client goes
 * away (or the request times out, or a stream is cut for a client that does not read), the worker's
 * {@link Worker#onDisconnect(long)} is called and whatever is sent for the request afterwards is
 * dropped silently; {@link #isOpen()} tells whether it still can be answered.
 *
 * <p>Every answering method may be called from the worker's loop thread (handlers, {@code onIdle},
 * {@code onConfig}, {@linkplain Worker#registerReader registered channel} callbacks, {@code onDisconnect})
 * and from any other thread; messages of one request reach the client in the order of the calls.
 * A request is answered once: a second {@code respond} (or a {@code respond} after a stream started)
 * is ignored with a WARNING log, never a second response on the wire.
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

    /** The header fields as they arrived. */
    Headers headers();

    /** The value of header {@code name} (case-insensitive; repeated fields joined with {@code ", "}), or null. */
    default String header(String name) {
        return headers().joined(name);
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

    /**
     * The body as sent (chunked bodies already decoded); empty, never null. A streamed body is read
     * whole here, up to the dispatcher's {@code maxContentLength} (413 beyond: use {@link #bodyStream()}).
     */
    byte[] body();

    /**
     * The body as a stream, read while it still arrives when the pool streams this request's body
     * ({@code WorkerPool.streamBodiesOver}): a handler can take gigabytes in constant memory, and a slow
     * reader slows the client's upload (back-pressure over the IPC and TCP). Read it from the handler's
     * thread, in order; a client that disconnects mid-upload makes {@code read} throw an
     * {@link java.io.IOException} (and {@code Worker.onDisconnect} runs). A streamed body whose
     * {@code Content-Length} is within {@code maxContentLength} is collected by the worker before the
     * handler runs, so this reads it from memory. For a body that came whole, a stream over
     * {@link #body()}. Use either this or {@link #body()}/{@link #json()}, not both. Its
     * {@code transferTo(out)} hands {@code out} the received pieces themselves, without a copy into a
     * buffer of the reader's (as with any {@code transferTo}, {@code out} must not keep the arrays).
     */
    default java.io.InputStream bodyStream() {
        return new java.io.ByteArrayInputStream(body());
    }

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

    // ------------------------------------------------------------------ answering later

    /**
     * Answers this request with {@code data} (any handler result type: a Map, List or object as JSON,
     * a String as HTML, {@code byte[]}, null, or a {@link Response}) and status 200 (or the
     * {@code Response}'s). For a request whose handler returned {@link Worker#DEFERRED}. Ignored with a
     * WARNING when the request was already answered; dropped silently when its client is gone.
     */
    void respond(Object data);

    /** Answers this request with {@code status} and {@code data} (as {@link Response#of(int, Object)}); see {@link #respond(Object)}. */
    void respond(int status, Object data);

    /**
     * Restarts the pool's {@code timeout} clock of this deferred request (long polling, slow jobs):
     * call it more often than the timeout, e.g. from {@code onIdle}. During the handler it also counts
     * as progress for stuck detection, like {@link Worker#keepAlive()}. No effect on streams (they have
     * no timeout) or answered requests.
     */
    void keepAlive();

    /** Opens a Server-Sent Events stream: {@code responseStream("text/event-stream", Map.of(), List.of())}. */
    default void responseStream() {
        responseStream(null, Map.of(), List.of());
    }

    /**
     * Answers with status 200 and a body that follows in pieces ({@link #sendEvent}, {@link #sendChunk})
     * until {@link #responseStreamEnd()}; the dispatcher sends it with {@code Transfer-Encoding: chunked}
     * (HTTP/1.0: until the connection closes). For {@code text/event-stream} (the default when
     * {@code contentType} is null) {@code Cache-Control: no-cache} and {@code X-Accel-Buffering: no}
     * are added unless {@code headers} set them. Ignored with a WARNING when already answered.
     *
     * @param headers extra response headers (may be empty)
     * @param cookies cookies to set (may be empty)
     */
    void responseStream(String contentType, Map<String, String> headers, List<Cookie> cookies);

    /** Sends an unnamed SSE event (a {@code message} event to an {@code EventSource}); see {@link #sendEvent(Object, String, String, Integer)}. */
    default boolean sendEvent(Object data) {
        return sendEvent(data, null, null, null);
    }

    /** Sends an SSE event named {@code event}; see {@link #sendEvent(Object, String, String, Integer)}. */
    default boolean sendEvent(Object data, String event) {
        return sendEvent(data, event, null, null);
    }

    /**
     * Sends one Server-Sent Event on the stream opened by {@link #responseStream}: {@code event:},
     * {@code id:} and {@code retry:} lines when given, then {@code data} as {@code data:} lines (text
     * split at line breaks, one {@code data:} line each; a Map, List or other object as one line of JSON;
     * {@code byte[]} as UTF-8 text), then the blank line that ends the event.
     *
     * @return false when the event was dropped because the stream is over (client gone, stream ended)
     * @throws IllegalStateException when no stream was opened for this request
     * @throws IllegalArgumentException when {@code event} or {@code id} contains a line break
     */
    boolean sendEvent(Object data, String event, String id, Integer retry);

    /**
     * Sends an SSE comment ({@code : text}), which clients ignore: a keep-alive ping for proxies.
     *
     * @return false when dropped because the stream is over
     */
    boolean sendComment(String text);

    /**
     * Sends {@code data} as one piece of the body of the stream opened by {@link #responseStream}, as
     * is (one HTTP chunk). The array must not be changed afterwards. Empty data is ignored.
     *
     * @return false when dropped because the stream is over
     * @throws IllegalStateException when no stream was opened for this request
     */
    boolean sendChunk(byte[] data);

    /** Sends {@code text} as UTF-8; see {@link #sendChunk(byte[])}. */
    boolean sendChunk(String text);

    /**
     * What the dispatcher's {@code onRequestAccepted} hook returned for this request (the reference's
     * request context), e.g. the user the dispatcher authenticated: maps, lists, strings, numbers,
     * booleans, or null when the hook returned nothing.
     */
    Object context();

    /**
     * This request's id, as the client sent it in {@code X-Request-Id} when it was sane (at most 128
     * characters of {@code A-Z a-z 0-9 . _ : -}), else one the dispatcher made; the response carries it
     * back, the access log shows it, and every record this worker's logger writes while the handler
     * runs is tagged {@code [rid=...]}. Empty for fire-and-forget work.
     */
    String requestId();

    /** The content type of an NDJSON stream. */
    String NDJSON = "application/x-ndjson";

    /** Opens an NDJSON stream without extra headers or cookies; see {@link #responseNdjson(Map, List)}. */
    default void responseNdjson() {
        responseNdjson(Map.of(), List.of());
    }

    /**
     * Opens a newline-delimited JSON stream (the reference's {@code response_ndjson}): status 200,
     * {@code Content-Type: application/x-ndjson}, one JSON document per line sent with
     * {@link #sendNdjson}, ended with {@link #responseStreamEnd()}. Back-pressure and client
     * disconnects work as for every stream.
     */
    default void responseNdjson(Map<String, String> headers, List<Cookie> cookies) {
        responseStream(NDJSON, headers, cookies);
    }

    /**
     * Sends {@code value} as one line of JSON (maps, lists, strings, numbers, booleans, null, records)
     * on the stream opened by {@link #responseNdjson}: the document, then {@code \n}. JSON text never
     * holds a raw line break, so each line is exactly one document.
     *
     * @return false when dropped because the stream is over
     * @throws IllegalStateException when no stream was opened for this request
     * @throws IllegalArgumentException when {@code value} cannot be written as JSON
     */
    boolean sendNdjson(Object value);

    /** Ends the stream opened by {@link #responseStream}; later sends are dropped. No effect when it is over. */
    void responseStreamEnd();

    /**
     * Whether this request can still be answered or streamed to: false once it was answered, its stream
     * ended, or its client went away (or it timed out).
     */
    boolean isOpen();
}
