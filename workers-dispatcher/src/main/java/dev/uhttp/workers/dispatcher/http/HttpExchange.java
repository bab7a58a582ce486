package dev.uhttp.workers.dispatcher.http;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One parsed HTTP request on a client connection, and the means to answer it. Handed to an
 * {@link HttpHandler} on the loop thread; every method must be called on the loop thread.
 *
 * <p>The engine keeps pipelined responses in request order: an exchange may be answered after later
 * ones on the same connection; what is written waits for the earlier answers. Exactly one of
 * {@link #respond}, {@link #respondFile} or {@link #startStream} answers an exchange; later calls are
 * ignored (and return false).
 */
public interface HttpExchange {

    /**
     * Whether a response with {@code status} never has a body (RFC 9110 section 6.4.1: 1xx, 204, 304),
     * whatever its headers say. The one place this rule is written.
     */
    static boolean isBodyless(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    /** Request method, e.g. {@code GET}. */
    String method();

    /** The request target as sent (origin-form or absolute-form). */
    String target();

    /** The percent-decoded path with dot segments resolved; always starts with {@code /}. */
    String path();

    /** The raw query string (without {@code ?}), or the empty string. */
    String query();

    /** {@code HTTP/1.0} or {@code HTTP/1.1}. */
    String protocol();

    /** The value of header {@code name} (case-insensitive); repeats joined with {@code ", "}; null if absent. */
    String header(String name);

    /** All headers in arrival order as {@code [name0, value0, name1, value1, ...]} (names as sent). */
    String[] headers();

    /** The body (chunked bodies already decoded); empty, never null. */
    byte[] body();

    /**
     * The body while it still arrives, when the handler chose to stream it
     * ({@link HttpHandler#streamBodyLimit}); null when the body came whole ({@link #body()}).
     */
    default StreamedBody streamedBody() {
        return null;
    }

    InetSocketAddress remoteAddress();

    /** Whether the connection is TLS. */
    boolean isSecure();

    /** The name of the listener the request came through ({@code "default"} for the dispatcher's port). */
    default String listener() {
        return HttpServer.DEFAULT_LISTENER;
    }

    /**
     * The request's id: the client's {@code X-Request-Id} when sane (1 to 128 characters of
     * {@code A-Z a-z 0-9 . _ : -}), else a new unique one. Every response carries it back in
     * {@code X-Request-Id} (a handler's own {@code X-Request-Id} header is replaced).
     */
    String requestId();

    /**
     * The same id as {@link #requestId()}, as text that may be a reused builder, valid until the next call
     * on the loop: for the frame to a worker, which needs no string of it (a new id is rendered from its number).
     */
    default CharSequence requestIdText() {
        return requestId();
    }

    /** The status answered, 0 before an answer. */
    int status();

    /** Body bytes of the response (as queued: a response cut short by its client counts whole). */
    long bodyBytesSent();

    /** {@code System.nanoTime()} when the request's head had been read. */
    long startNanos();

    /**
     * Notes who serves this exchange ({@link ServedBy}); set once, by the router, where it decides.
     *
     * @throws IllegalStateException when it was set already
     */
    void servedBy(ServedBy by);

    /** Who serves this exchange; {@link ServedBy#NONE} when nobody took it. */
    ServedBy servedBy();

    /** Notes the worker the exchange was sent to (a pool's exchanges only). */
    void worker(int workerId);

    /** The worker that answered, or -1. */
    int workerId();

    /** Whether the client connection is still open. */
    boolean isOpen();

    /** Whether this exchange has been answered (or is streaming). */
    boolean isAnswered();

    /**
     * Answers with a complete body. {@code headers} is flat ({@code [name, value, ...]}) and should
     * carry {@code Content-Type} and any {@code Set-Cookie}; the engine adds {@code Date},
     * {@code Content-Length} and {@code Connection}, and sends no body for {@code HEAD}, 1xx, 204, 304.
     *
     * @return false if the exchange was already answered or the client is gone
     */
    boolean respond(int status, String[] headers, byte[] body);

    /**
     * {@link #respond(int, String[], byte[])} with the first {@code length} bytes of {@code body},
     * copied before this returns: the caller may reuse {@code body} at once (a reused JSON buffer).
     */
    default boolean respondCopy(int status, String[] headers, byte[] body, int length) {
        return respond(status, headers, java.util.Arrays.copyOf(body, length));
    }

    /**
     * Answers with a file, without reading it whole into memory (zero-copy without TLS); sets
     * {@code Content-Type} from {@code contentType}, {@code Last-Modified}, {@code Accept-Ranges}, handles
     * {@code If-Modified-Since} (304), {@code HEAD}, and a single byte {@code Range} on GET (206, 416;
     * see {@code ByteRange}). A missing or unreadable file is 404.
     */
    boolean respondFile(Path file, String contentType, String[] extraHeaders);

    /**
     * Starts a streamed answer: status and headers now, the body as chunks ({@code Transfer-Encoding:
     * chunked} for HTTP/1.1; for HTTP/1.0 the body runs to connection close).
     */
    boolean startStream(int status, String[] headers);

    /**
     * Starts an answer of known length whose body follows in pieces ({@link #sendChunk}, then
     * {@link #endStream}): {@code Content-Length: length}, no chunked encoding, not cut at the stream
     * cap (the caller bounds what it sends). The pieces must add up to {@code length}.
     */
    default boolean startStream(int status, String[] headers, long length) {
        throw new UnsupportedOperationException("fixed-length streams");
    }

    /** Writes one piece of a started stream; ignored when empty or when the client is gone. */
    void sendChunk(byte[] data);

    /**
     * {@link #sendChunk} for a piece whose array is the {@link dev.uhttp.workers.ipc.PiecePool}'s: the
     * exchange owns it now and gives it back once it is written or dropped. The caller must not touch it
     * afterwards. This default keeps the array (left to the GC).
     */
    default void sendPiece(byte[] data) {
        sendChunk(data);
    }

    /** Ends a started stream. */
    void endStream();

    /** Bytes accepted for this connection and not yet written to the socket. */
    long pendingOutputBytes();

    /**
     * Called once when the client connection closes (or fails) before this exchange finished; also
     * when a stream's buffered output goes over the engine's per-connection cap.
     */
    void onClose(Runnable callback);

    /** When the request's last byte was received, as {@link System#nanoTime()}. */
    default long receivedNanos() {
        return 0;
    }

    /** Response bytes (head and body) written to the client so far. */
    default long bytesSent() {
        return 0;
    }

    /** Called when {@link #pendingOutputBytes()} drops back below the low-water mark after going over it. */
    void onWritable(Runnable callback);

    /**
     * Which request this object serves now: it changes when the engine reuses the object for a later
     * request on its connection ({@link #reuseOnceWritten}). A holder that kept the value it saw
     * compares it before every call: a different value means its request ended.
     */
    default int generation() {
        return 0;
    }

    /**
     * The caller (who decided where the request went) knows that nobody holds this exchange once its
     * answer has been written, except through a holder that checks {@link #generation}: the engine may
     * then use it for a later request on the connection. Does nothing unless the exchange was answered
     * whole (not a stream), has no callbacks and the connection stays open after the answer.
     */
    default void reuseOnceWritten() {
    }
}
