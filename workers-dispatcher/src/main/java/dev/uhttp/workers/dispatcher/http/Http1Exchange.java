package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.PiecePool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Objects;

/**
 * One request/response on an {@link HttpConnection}. Its output is queued here until it is the oldest
 * unfinished exchange of its connection, which keeps pipelined responses in request order.
 *
 * <p>Stream chunks are not copied: the engine keeps a reference to the array given to
 * {@link #sendChunk} (and to {@link #respond}'s body) until it is written, so the caller must not
 * change it afterwards.
 */
final class Http1Exchange implements HttpExchange {
    static final byte[] EMPTY = new byte[0];
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpConnection conn;
    private RequestHead request; // its method, version and fields read from it: no copies per exchange
    byte[] body;
    /** No request is read after this one on its connection. */
    boolean last;
    /** The connection closes once this response is written. */
    boolean closeAfter;

    /** The body while it streams to the handler, or null (collected whole in {@link #body}). */
    private RequestBodyQueue streamed;
    private OutboundQueue out;
    // What the exchange observers (metrics, access log) read when it ends.
    private int status;
    long receivedNanos;
    long bytesSent;
    private long bodyBytes;
    private ServedBy servedBy;
    private int workerId;
    private boolean answered;
    /** The body of a streamed answer, or null. */
    private ResponseStream stream;
    private boolean complete;
    private boolean finished;
    private boolean aborted;
    /** Its request is over once written: kept for the connection's next request ({@link #reuseOnceWritten}). */
    private boolean reusable;
    /** A callback was registered: its holder may come back without checking the generation, so never reused. */
    private boolean heldByCallback;
    private int generation;
    private long startNanos;
    String requestId;
    long idNumber; // a new request id written into the head from its number (RequestIds.forHead), 0: none
    private Runnable closeCallback; // the first (usually the only one): no list
    private ArrayList<Runnable> closeCallbacks;
    private ArrayList<Runnable> writableCallbacks;

    Http1Exchange(HttpConnection conn, RequestHead request) {
        this.conn = conn;
        start(request);
    }

    /** The state of a new exchange for {@code head}; called again when the object is reused. */
    void start(RequestHead head) {
        request = head;
        body = EMPTY;
        last = false;
        closeAfter = false;
        streamed = null;
        out = null;
        status = 0;
        receivedNanos = 0;
        bytesSent = 0;
        bodyBytes = 0;
        servedBy = ServedBy.NONE;
        workerId = -1;
        answered = false;
        stream = null;
        complete = false;
        finished = false;
        aborted = false;
        reusable = false;
        heldByCallback = false;
        startNanos = System.nanoTime();
        requestId = null;
        idNumber = 0;
        closeCallback = null;
        closeCallbacks = null;
        writableCallbacks = null;
    }

    // ---- request

    @Override public String method() { return request.method(); }
    @Override public String target() { return request.target(); }
    @Override public String path() { return request.path(); }
    @Override public String query() { return request.query(); }
    @Override public String protocol() { return request.http11() ? "HTTP/1.1" : "HTTP/1.0"; }
    @Override public String[] headers() { return request.headers(); }
    @Override public byte[] body() { return body; }
    @Override public StreamedBody streamedBody() { return streamed; }
    @Override public InetSocketAddress remoteAddress() { return conn.remoteAddress(); }
    @Override public boolean isSecure() { return conn.isSecure(); }
    @Override public String listener() { return conn.listener(); }
    @Override public boolean isOpen() { return conn.acceptsOutput(); }
    @Override public boolean isAnswered() { return answered; }
    @Override public long pendingOutputBytes() { return conn.pendingBytes(); }
    @Override public int status() { return status; }
    @Override public long receivedNanos() { return receivedNanos; }
    @Override public long bytesSent() { return bytesSent; }
    @Override public long bodyBytesSent() { return bodyBytes; }
    @Override public long startNanos() { return startNanos; }
    @Override public ServedBy servedBy() { return servedBy; }
    @Override public int workerId() { return workerId; }
    @Override public CharSequence requestIdText() { return conn.requestIds().forHead(this); } // a new id: no string

    @Override
    public void servedBy(ServedBy by) {
        if (servedBy != ServedBy.NONE) {
            throw new IllegalStateException("served by " + servedBy.label() + " already, not " + by.label());
        }
        servedBy = Objects.requireNonNull(by, "by");
    }

    @Override
    public void worker(int workerId) {
        this.workerId = workerId;
    }

    @Override
    public String requestId() {
        if (requestId == null) {
            requestId = idNumber != 0 ? conn.requestIds().render(idNumber) : conn.requestIds().take(header("X-Request-Id"));
        }
        return requestId;
    }

    @Override
    public String header(String name) {
        String found = null;
        String[] headers = request.headers();
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                found = found == null ? headers[i + 1] : found + ", " + headers[i + 1];
            }
        }
        return found;
    }

    // ---- answering

    /**
     * Answered: a streamed body not received yet will not be read by anybody. Its pieces are dropped
     * and the connection closes after the answer (the rest of the body is not read as requests).
     */
    private void answeredBeforeBody() {
        if (streamed != null && !streamed.received()) {
            streamed.discard();
            closeAfter = true;
        }
    }

    @Override
    public boolean respond(int status, String[] hdrs, byte[] data) {
        return respond(status, hdrs, data == null ? EMPTY : data, 0, data == null ? 0 : data.length, false);
    }

    @Override
    public boolean respondCopy(int status, String[] hdrs, byte[] data, int length) {
        return respond(status, hdrs, data, 0, length, true);
    }

    @Override
    public boolean respondCopy(int status, String[] hdrs, byte[] data, int offset, int length) {
        return respond(status, hdrs, data, offset, length, true);
    }

    /** {@code copy}: {@code b} is the caller's again when this returns (else it is queued by reference). */
    private boolean respond(int status, String[] hdrs, byte[] b, int offset, int length, boolean copy) {
        conn.checkThread();
        if (answered || !conn.acceptsOutput()) {
            return false;
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        boolean callerClose = ResponseHead.validate(hdrs);
        boolean bodyless = HttpExchange.isBodyless(status);
        boolean close = answerWhole(status, callerClose || status < 200);
        WholeAnswer.queue(this, status, hdrs, bodyless, close, b, offset, length, copy);
        conn.outputAdded(this, false);
        return true;
    }

    /** Answers with {@code {"error": message}}. */
    boolean respondError(int status, String message, boolean close) {
        if (close) {
            closeAfter = true;
        }
        return respond(status, JsonErrors.HEADERS, JsonErrors.body(message));
    }

    private boolean decideClose(boolean want) {
        boolean c = want || closeAfter || last || (conn.isDraining() && conn.isLastExchange(this));
        if (c) {
            closeAfter = true;
            conn.stopReadingRequests();
        }
        return c;
    }

    @Override
    public boolean respondFile(Path file, String contentType, String[] extraHeaders) {
        conn.checkThread();
        if (answered || !conn.acceptsOutput()) {
            return false;
        }
        return FileAnswer.respond(this, file, contentType, extraHeaders);
    }

    boolean isHeadRequest() { return request.isHead(); }

    /** Answered whole with {@code status}, nothing queued yet; returns whether the connection closes after it. */
    boolean answerWhole(int status, boolean wantClose) {
        answeredBeforeBody();
        answered = true;
        complete = true;
        this.status = status;
        return decideClose(wantClose);
    }

    HttpConnection connection() { return conn; }

    @Override
    public boolean startStream(int status, String[] hdrs) {
        return startStream(status, hdrs, -1, false);
    }

    @Override
    public boolean startStream(int status, String[] hdrs, long length) {
        return startStream(status, hdrs, length, true);
    }

    /** {@code length} -1 and not {@code fixed}: chunked (HTTP/1.1) or up to the close (HTTP/1.0). */
    private boolean startStream(int status, String[] hdrs, long length, boolean fixed) {
        conn.checkThread();
        if (answered || !conn.acceptsOutput()) {
            return false;
        }
        if (fixed && length < 0) {
            throw new IllegalArgumentException("negative length: " + length);
        }
        boolean callerClose = ResponseHead.validate(hdrs);
        boolean bodyless = HttpExchange.isBodyless(status);
        answeredBeforeBody();
        answered = true;
        this.status = status;
        boolean http11 = request.http11();
        boolean chunked = !fixed && http11 && !bodyless;
        boolean close = decideClose(callerClose || (!fixed && !http11 && !bodyless) || status < 200);
        enqueue(OutboundPart.Bytes.of(ResponseHead.encode(status, conn.dateLine(), hdrs, null,
                fixed && !bodyless ? length : -1, chunked, close, requestId())));
        boolean noBody = request.isHead() || bodyless || length == 0;
        stream = new ResponseStream(this, conn, chunked, !fixed ? -1 : noBody ? 0 : length);
        complete = noBody; // no body will be sent: sendChunk and endStream are no-ops
        conn.outputAdded(this, false);
        return true;
    }

    @Override
    public void sendChunk(byte[] data) {
        conn.checkThread();
        if (stream != null && !complete) {
            stream.send(data, false);
        }
    }

    @Override
    public void sendPiece(byte[] data) {
        conn.checkThread();
        if (stream == null || complete || !stream.send(data, true)) {
            PiecePool.shared().release(data); // not queued: still the caller's, and nobody else's
        }
    }

    @Override
    public void endStream() {
        conn.checkThread();
        if (stream == null || complete) {
            return;
        }
        complete = true;
        stream.end();
    }

    @Override
    public void onClose(Runnable callback) {
        heldByCallback = true;
        if (aborted) {
            conn.runCallback(callback);
            return;
        }
        if (finished) {
            return;
        }
        if (closeCallback == null) {
            closeCallback = callback; // the usual one (its pool's): no list
        } else {
            (closeCallbacks == null ? closeCallbacks = new ArrayList<>(2) : closeCallbacks).add(callback);
        }
    }

    @Override
    public void onWritable(Runnable callback) {
        heldByCallback = true;
        if (finished) {
            return;
        }
        if (writableCallbacks == null) {
            writableCallbacks = new ArrayList<>(2);
        }
        writableCallbacks.add(callback);
    }

    // ---- engine side

    void streamBody(RequestBodyQueue body) { this.streamed = body; }

    void sendContinue() {
        if (!answered && !aborted && conn.acceptsOutput()) {
            enqueue(OutboundPart.Bytes.of(CONTINUE));
            conn.outputAdded(this, false);
        }
    }

    boolean isComplete() { return complete; }

    void bodyQueued(long n) { bodyBytes += n; }

    OutboundQueue queue() {
        if (out == null) {
            out = conn.reused.takeQueue(conn);
        }
        return out;
    }

    void enqueue(OutboundPart part) {
        queue().add(part);
    }

    /**
     * Writes queued output.
     *
     * @return true when the queue is empty, false when the socket took no more
     */
    boolean writeOut(Transport t, ByteBuffer[] gather) throws IOException {
        return out == null ? !t.hasPendingOutput() || t.flush() : out.writeOut(t, gather);
    }

    /** The whole response was written. */
    void writeFinished() {
        finished = true;
        closeCallback = null;
        closeCallbacks = null;
        writableCallbacks = null;
        conn.reused.reuseQueue(out);
        out = null;
        conn.exchangeEnded(this, true);
        if (reusable) {
            endGeneration();
        }
    }

    @Override public int generation() { return generation; }

    @Override
    public void reuseOnceWritten() {
        conn.checkThread();
        if (!answered || !complete || stream != null || streamed != null || aborted || closeAfter || heldByCallback) {
            return; // a holder without a generation may still come back to it
        }
        if (finished) {
            endGeneration(); // written at once, while its handler ran
        } else {
            reusable = true;
        }
    }

    /** Its request is over: holders that checked the generation see it changed; the connection may reuse it. */
    private void endGeneration() {
        reusable = false;
        generation++;
        conn.keepForReuse(this);
    }

    /** Drops queued output (the exchange will never be written); returns the buffered bytes dropped. */
    long discardOutput() {
        long n = out == null ? 0 : out.discard();
        conn.reused.reuseQueue(out);
        out = null;
        return n;
    }

    /** The connection closed before this exchange finished. */
    void connectionClosed() {
        discardOutput();
        if (streamed != null) {
            streamed.discard();
        }
        if (finished || aborted) {
            return;
        }
        aborted = true;
        conn.exchangeEnded(this, false);
        writableCallbacks = null;
        Runnable first = closeCallback;
        ArrayList<Runnable> cbs = closeCallbacks;
        closeCallback = null;
        closeCallbacks = null;
        if (first != null) {
            conn.runCallback(first);
        }
        if (cbs != null) {
            for (Runnable r : cbs) {
                conn.runCallback(r);
            }
        }
    }

    void fireWritable() {
        if (writableCallbacks != null && !finished && !aborted) {
            for (Runnable r : new ArrayList<>(writableCallbacks)) {
                conn.runCallback(r);
            }
        }
    }
}
