package dev.uhttp.workers.dispatcher.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes a {@code Transfer-Encoding: chunked} body incrementally: chunk-size lines with optional
 * extensions (ignored), chunk data, and a trailer section that is read and discarded (counted against
 * the header limit).
 *
 * <p>The body buffer grows as chunk data actually arrives (geometrically, bounded by the data still
 * announced and by the body limit), not when a chunk-size line announces it, so an announced size costs
 * nothing until its bytes come. {@link #body()} returns an exactly sized array (one final copy unless the
 * buffer happens to be full: the total is unknown until the last chunk).
 *
 * <p>Strict like the request head: every line ends with CRLF (a bare LF or CR is 400), a chunk size is
 * hex digits only (no sign, no {@code 0x}, no whitespace unless an extension follows), a size past the
 * body limit is 413 as soon as its digits say so, and trailer lines hold no control characters and no
 * obsolete folding.
 */
final class ChunkedDecoder {
    private enum State { SIZE, DATA, DATA_CR, DATA_LF, TRAILER, DONE }

    private static final int MAX_SIZE_LINE = 4096;
    private static final byte[] EMPTY = new byte[0];

    private long maxContentLength;
    /** Where chunk data goes when the body streams ({@link #streamTo}), else null (collected in {@link #body}). */
    private BodyCollector collector;
    private final int maxTrailerBytes;

    private State state = State.SIZE;
    private final byte[] line = new byte[MAX_SIZE_LINE];
    private int lineLen;
    /** A CR was the last byte of a size or trailer line: an LF must come next. */
    private boolean sawCr;
    private long chunkLeft;
    private int trailerBytes;
    private int trailerLineLen;
    private byte[] body = EMPTY;
    private long bodyLen;

    ChunkedDecoder(long maxContentLength, int maxTrailerBytes) {
        this.maxContentLength = maxContentLength;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** Streams the chunk data into {@code c} instead of collecting it, up to {@code limit} bytes (413 beyond). */
    void streamTo(BodyCollector c, long limit) {
        this.collector = c;
        this.maxContentLength = limit;
    }

    boolean isDone() {
        return state == State.DONE;
    }

    /** Bytes allocated for the body so far. */
    int capacity() {
        return body.length;
    }

    /** The decoded body, exactly sized. */
    byte[] body() {
        return bodyLen == body.length ? body : Arrays.copyOf(body, (int) bodyLen);
    }

    /** Consumes bytes of {@code buf}; returns true once the last chunk and trailers are read. */
    boolean decode(ByteBuffer buf) throws HttpError {
        byte[] a = buf.array();
        int p = buf.arrayOffset() + buf.position();
        int end = buf.arrayOffset() + buf.limit();
        try {
            while (p < end && state != State.DONE) {
                switch (state) {
                    case DATA: {
                        if (collector != null) {
                            int n = (int) Math.min(chunkLeft, end - p);
                            collector.write(a, p, n);
                            bodyLen += n;
                            p += n;
                            chunkLeft -= n;
                            if (chunkLeft == 0) {
                                state = State.DATA_CR;
                            }
                            break;
                        }
                        if (bodyLen == body.length) {
                            grow();
                        }
                        int n = (int) Math.min(Math.min(chunkLeft, end - p), body.length - bodyLen);
                        System.arraycopy(a, p, body, (int) bodyLen, n);
                        bodyLen += n;
                        p += n;
                        chunkLeft -= n;
                        if (chunkLeft == 0) {
                            state = State.DATA_CR;
                        }
                        break;
                    }
                    case DATA_CR:
                        if (a[p++] != '\r') {
                            throw new HttpError(400, "chunk data not followed by CRLF");
                        }
                        state = State.DATA_LF;
                        break;
                    case DATA_LF:
                        if (a[p++] != '\n') {
                            throw new HttpError(400, "chunk data not followed by CRLF");
                        }
                        state = State.SIZE;
                        break;
                    case SIZE:
                        sizeByte(a[p++]);
                        break;
                    default:
                        trailerByte(a[p++]);
                        break;
                }
            }
        } finally {
            buf.position(p - buf.arrayOffset());
        }
        return state == State.DONE;
    }

    /** Returns whether {@code b} ends a line (the LF of a CRLF); a bare CR or LF is 400. */
    private boolean lineEnd(byte b, String what) throws HttpError {
        if (sawCr) {
            if (b != '\n') {
                throw new HttpError(400, "bare CR in " + what);
            }
            sawCr = false;
            return true;
        }
        if (b == '\r') {
            sawCr = true;
            return false;
        }
        if (b == '\n') {
            throw new HttpError(400, "bare LF in " + what);
        }
        return false;
    }

    private void sizeByte(byte b) throws HttpError {
        if (lineEnd(b, "chunk size line")) {
            int len = lineLen;
            lineLen = 0;
            sizeLine(len);
        } else if (!sawCr) {
            if (lineLen == line.length) {
                throw new HttpError(400, "chunk size line too long");
            }
            line[lineLen++] = b;
        }
    }

    private void trailerByte(byte b) throws HttpError {
        if (++trailerBytes > maxTrailerBytes) {
            throw new HttpError(431, "trailer section too large");
        }
        if (lineEnd(b, "trailer section")) {
            if (trailerLineLen == 0) {
                state = State.DONE;
            }
            trailerLineLen = 0;
        } else if (!sawCr) {
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                throw new HttpError(400, "illegal character in trailer section");
            }
            if (trailerLineLen == 0 && (b == ' ' || b == '\t')) {
                throw new HttpError(400, "obsolete line folding is not allowed");
            }
            trailerLineLen++;
        }
    }

    private void sizeLine(int len) throws HttpError {
        int i = 0;
        long size = 0;
        while (i < len) {
            int d = hexDigit(line[i]);
            if (d < 0) {
                break;
            }
            size = (size << 4) | d;
            if (size > maxContentLength - bodyLen) {
                throw new HttpError(413, "request body too large");
            }
            i++;
        }
        if (i == 0) {
            throw new HttpError(400, "bad chunk size");
        }
        int ws = i;
        while (i < len && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i < len ? line[i] != ';' : i != ws) {
            throw new HttpError(400, "bad chunk size");
        }
        for (int j = i; j < len; j++) {
            byte c = line[j];
            if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpError(400, "bad chunk extension");
            }
        }
        if (size == 0) {
            state = State.TRAILER;
            return;
        }
        chunkLeft = size;
        state = State.DATA;
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    /**
     * Makes room for chunk data that has arrived: at least min(chunk left, 64 KiB) (1 KiB at least),
     * doubling otherwise; never past the body limit. What is allocated stays proportional to what was
     * received.
     */
    private void grow() {
        long cap = Math.max(body.length * 2L,
                bodyLen + Math.max(1024, Math.min(chunkLeft, RequestParser.INITIAL_BODY_BUFFER)));
        body = Arrays.copyOf(body, (int) Math.min(maxContentLength, cap));
    }
}
