package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.internal.HeaderRules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Incremental HTTP/1.x request parser. {@link #parse} consumes bytes and reports when the header block
 * ended and when the request is complete. A line that is entirely inside the buffer is parsed in place;
 * only lines split across reads are copied into the parser's line buffer.
 *
 * <p>A body is not allocated at its announced size when the headers end: the buffer starts at
 * {@link #INITIAL_BODY_BUFFER} at most and grows as bytes actually arrive (fourfold for a body of
 * announced length, twofold for chunks), so a client that announces a large body and sends nothing
 * holds little memory ({@link LengthBody}, {@link ChunkedDecoder}). A body over a handler's stream
 * threshold is not collected: it goes on in pieces ({@link BodyCollector}). A {@code Content-Length} body ends up in one array
 * of exactly its size (the last growth step is capped at the announced length; no copy for a body that
 * fits the first buffer).
 *
 * <p>Lines end with CRLF only: a bare LF or a bare CR anywhere in the request line or header section
 * is 400 (a front proxy that reads a bare LF differently would otherwise see other requests than this
 * server: request smuggling). Empty lines (CRLF) before the request line are ignored (RFC 9112 section
 * 2.2). When the header block ends the parser builds an immutable {@link RequestHead}.
 */
final class RequestParser {
    /**
     * What {@link #parse} reports: more bytes are needed; the header block ended ({@link #head()} is
     * set) and a body is still to come; the request, body included, is complete.
     */
    enum Event { NEED_MORE, HEADERS, COMPLETE }

    static final Event NEED_MORE = Event.NEED_MORE;
    static final Event HEADERS = Event.HEADERS;
    static final Event COMPLETE = Event.COMPLETE;

    private enum State { REQUEST_LINE, HEADER_LINE, BODY_LENGTH, BODY_CHUNKED, DONE }

    private static final byte[] EMPTY = new byte[0];
    /** The most a body buffer holds before the bytes to fill it have arrived. */
    static final int INITIAL_BODY_BUFFER = 64 * 1024;

    private final HttpLimits config;
    private State state = State.REQUEST_LINE;
    private byte[] line = new byte[128];
    private int lineLen;
    private int headerBytes;
    private boolean sawBytes;

    // the request line and fields being read
    private String method;
    private String target;
    private RequestTarget parsedTarget;
    private boolean http11;
    private final ArrayList<String> headers = new ArrayList<>(32);
    private final FramingFields framingFields = new FramingFields();
    // The last target parsed, kept with its method: the same strings again (RecentStrings) parse the same way.
    private String lastMethod;
    private String lastTarget;
    private RequestTarget lastParsedTarget;
    // the result
    private RequestHead head;
    private LengthBody lengthBody;
    private ChunkedDecoder chunkedDecoder;
    /** Decides at the end of a head whether its body streams ({@link #streamWith}). */
    private java.util.function.ToLongFunction<RequestHead> streamDecision = h -> -1;
    /** The largest body of the request in progress when it streams, else -1. */
    private long streamLimit = -1;
    /** Where a streamed body goes, once the intake connected it ({@link #streamTo}), else null. */
    private BodyCollector collector;

    RequestParser(HttpLimits config) {
        this.config = config;
        reset();
    }

    /**
     * Sets what decides, when a head with a body ends, whether that body streams: the function returns
     * the largest body it may stream, or -1 to collect it whole (within {@code maxContentLength}).
     */
    void streamWith(java.util.function.ToLongFunction<RequestHead> decision) {
        this.streamDecision = decision;
    }

    /** Whether the body of the request whose head was just reported streams (connect it with {@link #streamTo}). */
    boolean streaming() {
        return streamLimit >= 0;
    }

    /** Sends the streamed body of the current request into {@code c}, piece by piece. */
    void streamTo(BodyCollector c) {
        this.collector = c;
        if (chunkedDecoder != null) {
            chunkedDecoder.streamTo(c, streamLimit);
        } else if (lengthBody != null) {
            lengthBody.streamTo(c);
        }
    }

    /** The connection closed: a streamed body's piece being filled goes back to the pool. */
    void dropStreamed() {
        if (collector != null) {
            collector.release();
        }
    }

    /** At the end of a read: hands on what a streamed body's current piece holds. */
    void flushStreamed() {
        if (collector != null && inBody()) {
            collector.flushPartial();
        }
    }

    /** The head of the request, once {@link Event#HEADERS} or {@link Event#COMPLETE} was reported; else null. */
    RequestHead head() {
        return head;
    }

    /** Whether part of a request has been received and not completed. */
    boolean inProgress() {
        return sawBytes;
    }

    /** Whether the header block was read and the body is being received. */
    boolean inBody() {
        return state == State.BODY_LENGTH || state == State.BODY_CHUNKED;
    }

    /** Bytes allocated for the body of the request in progress (for tests and diagnostics). */
    int bodyCapacity() {
        if (collector != null) {
            return collector.capacity();
        }
        if (chunkedDecoder != null) {
            return chunkedDecoder.capacity();
        }
        return lengthBody == null ? 0 : lengthBody.capacity();
    }

    /** Whether the version was HTTP/1.1 (when the request line has been read), for error responses. */
    boolean isHttp11() {
        return http11;
    }

    /**
     * While a body of announced length is being received: the free part of its buffer, for the
     * connection to read the socket into directly (one copy fewer than through the shared read
     * buffer, and no bytes of a pipelined request taken in); null in any other state. Report what was
     * read with {@link #bodyRead(int)}.
     */
    ByteBuffer bodyTarget() {
        return state == State.BODY_LENGTH ? lengthBody.target() : null;
    }

    /** Counts {@code n} body bytes written into the body buffer; {@link Event#COMPLETE} when it is whole. */
    Event bodyRead(int n) {
        if (lengthBody.read(n)) {
            state = State.DONE;
            return Event.COMPLETE;
        }
        return Event.NEED_MORE;
    }

    /** The body of the complete request. */
    byte[] takeBody() {
        if (chunkedDecoder != null) {
            return chunkedDecoder.body();
        }
        return lengthBody == null || lengthBody.take() == null ? EMPTY : lengthBody.take();
    }

    void reset() {
        state = State.REQUEST_LINE;
        lineLen = 0;
        headerBytes = 0;
        sawBytes = false;
        method = null;
        target = null;
        parsedTarget = null;
        http11 = true;
        headers.clear();
        framingFields.reset();
        head = null;
        lengthBody = null;
        chunkedDecoder = null;
        streamLimit = -1;
        collector = null;
        if (line.length > 4096) {
            line = new byte[128]; // do not keep a large line buffer on an idle connection
        }
    }

    /** Consumes bytes from {@code buf} (a heap buffer) until an event or the end of the buffer. */
    Event parse(ByteBuffer buf) throws HttpError {
        while (buf.hasRemaining()) {
            switch (state) {
                case REQUEST_LINE:
                case HEADER_LINE: {
                    Event ev = lines(buf);
                    if (ev != Event.NEED_MORE) return ev;
                    break;
                }
                case BODY_LENGTH:
                    if (lengthBody.consume(buf)) {
                        state = State.DONE;
                        return Event.COMPLETE;
                    }
                    break;
                case BODY_CHUNKED:
                    if (chunkedDecoder.decode(buf)) {
                        state = State.DONE;
                        if (collector != null) {
                            collector.finish();
                        }
                        return Event.COMPLETE;
                    }
                    break;
                default:
                    return Event.COMPLETE;
            }
        }
        return state == State.DONE ? Event.COMPLETE : Event.NEED_MORE;
    }

    private Event lines(ByteBuffer buf) throws HttpError {
        byte[] a = buf.array();
        int off = buf.arrayOffset();
        int p = off + buf.position();
        int end = off + buf.limit();
        while (p < end && (state == State.REQUEST_LINE || state == State.HEADER_LINE)) {
            int lf = p;
            while (lf < end && a[lf] != '\n') lf++;
            int n = lf - p;
            int limit = state == State.REQUEST_LINE ? config.maxRequestLine() + 2 : config.maxHeaderBytes() - headerBytes;
            if (lineLen + n > limit) {
                if (state == State.REQUEST_LINE) {
                    throw new HttpError(414, "request line too long");
                }
                throw new HttpError(431, "request header fields too large");
            }
            if (n > 0) sawBytes = true;
            if (lf == end) {
                append(a, p, n);
                p = end;
                break;
            }
            Event ev;
            if (lineLen == 0) {
                ev = line(a, p, n);
            } else {
                append(a, p, n);
                ev = line(line, 0, lineLen);
                lineLen = 0;
            }
            p = lf + 1;
            if (ev != Event.NEED_MORE) {
                buf.position(p - off);
                return ev;
            }
        }
        buf.position(p - off);
        return Event.NEED_MORE;
    }

    private void append(byte[] a, int p, int n) {
        if (lineLen + n > line.length) {
            byte[] bigger = new byte[Math.max(lineLen + n, line.length * 2)];
            System.arraycopy(line, 0, bigger, 0, lineLen);
            line = bigger;
        }
        System.arraycopy(a, p, line, lineLen, n);
        lineLen += n;
    }

    /**
     * One line without its LF, which must follow a CR (a bare LF is 400). A CR anywhere else in the
     * line is caught by the control-character checks of the request line, names and values.
     */
    private Event line(byte[] a, int p, int n) throws HttpError {
        if (n == 0 || a[p + n - 1] != '\r') {
            throw new HttpError(400, "bare LF in the request head");
        }
        int len = n - 1;
        if (state == State.REQUEST_LINE) {
            if (len == 0) {
                sawBytes = false;
                return Event.NEED_MORE; // empty lines (CRLF) before a request line are ignored (RFC 9112 2.2)
            }
            requestLine(a, p, len);
            state = State.HEADER_LINE;
            return Event.NEED_MORE;
        }
        headerBytes += n + 1;
        if (len == 0) {
            return endOfHeaders();
        }
        header(a, p, len);
        return Event.NEED_MORE;
    }

    private void requestLine(byte[] a, int p, int len) throws HttpError {
        int end = p + len;
        int sp1 = indexOf(a, p, end, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(a, sp1 + 1, end, (byte) ' ');
        if (sp1 <= p || sp2 < 0 || sp2 == sp1 + 1 || indexOf(a, sp2 + 1, end, (byte) ' ') >= 0) {
            throw new HttpError(400, "malformed request line");
        }
        for (int i = p; i < end; i++) {
            byte b = a[i];
            if ((b >= 0 && b < 0x20) || b == 0x7f) {
                throw new HttpError(400, "malformed request line");
            }
        }
        method = RequestTarget.method(a, p, sp1 - p);
        if (!HeaderRules.isToken(method)) {
            throw new HttpError(400, "malformed request method");
        }
        int v = sp2 + 1;
        int vlen = end - v;
        if (vlen == 8 && a[v] == 'H' && a[v + 1] == 'T' && a[v + 2] == 'T' && a[v + 3] == 'P' && a[v + 4] == '/'
                && isDigit(a[v + 5]) && a[v + 6] == '.' && isDigit(a[v + 7])) {
            if (a[v + 5] == '1' && a[v + 7] == '1') {
                http11 = true;
            } else if (a[v + 5] == '1' && a[v + 7] == '0') {
                http11 = false;
            } else {
                throw new HttpError(505, "HTTP version not supported");
            }
        } else {
            throw new HttpError(400, "malformed HTTP version");
        }
        // A fragment is the client's business (RFC 9110 section 7.1): dropped before routing, so it
        // never reaches a route, a worker or a log.
        int targetEnd = indexOf(a, sp1 + 1, sp2, (byte) '#');
        if (targetEnd < 0) {
            targetEnd = sp2;
        } else if (indexOf(a, targetEnd + 1, sp2, (byte) '#') >= 0) {
            throw new HttpError(400, "invalid character in request target");
        }
        target = RecentStrings.of(a, sp1 + 1, targetEnd - sp1 - 1);
        if (target == lastTarget && method.equals(lastMethod)) {
            parsedTarget = lastParsedTarget; // immutable, and a function of the method and target alone
        } else {
            parsedTarget = RequestTarget.parse(method, target);
            lastMethod = method;
            lastTarget = target;
            lastParsedTarget = parsedTarget;
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] a, int from, int end, byte b) {
        for (int i = from; i < end; i++) {
            if (a[i] == b) return i;
        }
        return -1;
    }

    private void header(byte[] a, int p, int len) throws HttpError {
        byte first = a[p];
        if (first == ' ' || first == '\t') {
            throw new HttpError(400, "obsolete line folding is not allowed");
        }
        int end = p + len;
        int colon = indexOf(a, p, end, (byte) ':');
        if (colon < 0) {
            throw new HttpError(400, "malformed header line");
        }
        if (colon == p) {
            throw new HttpError(400, "empty header name");
        }
        for (int i = p; i < colon; i++) {
            byte b = a[i];
            if (b == ' ' || b == '\t') {
                throw new HttpError(400, "whitespace before the colon in a header");
            }
            if (!HeaderRules.isTokenChar(b)) {
                throw new HttpError(400, "illegal character in header name");
            }
        }
        int vs = colon + 1;
        int ve = end;
        while (vs < ve && (a[vs] == ' ' || a[vs] == '\t')) vs++;
        while (ve > vs && (a[ve - 1] == ' ' || a[ve - 1] == '\t')) ve--;
        for (int i = vs; i < ve; i++) {
            byte b = a[i];
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                throw new HttpError(400, "illegal character in header value");
            }
        }
        if (headers.size() / 2 >= config.maxHeaders()) {
            throw new HttpError(431, "too many header fields");
        }
        String name = RecentStrings.of(a, p, colon - p);
        // Credentials are not kept in the JVM-wide table past their request (heap dumps, a quiet server).
        String value = FieldRules.isCredential(name) ? new String(a, vs, ve - vs, StandardCharsets.ISO_8859_1)
                : RecentStrings.of(a, vs, ve - vs);
        headers.add(name);
        headers.add(value);
        framingFields.note(name, value, headers.size() - 1);
    }

    private Event endOfHeaders() throws HttpError {
        head = framingFields.head(method, target, parsedTarget, http11, headers);
        RequestHead.Framing framing = head.framing();
        long contentLength = head.contentLength();
        streamLimit = framing == RequestHead.Framing.NONE ? -1 : streamDecision.applyAsLong(head);
        long limit = streamLimit >= 0 ? streamLimit : config.maxContentLength();
        if (contentLength > limit) {
            streamLimit = -1;
            throw new HttpError(413, "request body too large"); // head() shows what was refused
        }
        switch (framing) {
            case CHUNKED:
                chunkedDecoder = new ChunkedDecoder(limit, config.maxHeaderBytes());
                state = State.BODY_CHUNKED;
                return Event.HEADERS;
            case LENGTH:
                lengthBody = new LengthBody(contentLength, streamLimit >= 0);
                state = State.BODY_LENGTH;
                return Event.HEADERS;
            default:
                state = State.DONE;
                return Event.COMPLETE;
        }
    }
}
