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
 */
final class ChunkedDecoder {
    private static final int SIZE = 0;
    private static final int DATA = 1;
    private static final int DATA_CR = 2;
    private static final int DATA_LF = 3;
    private static final int TRAILER = 4;
    private static final int DONE = 5;

    private static final int MAX_SIZE_LINE = 4096;
    private static final byte[] EMPTY = new byte[0];

    private final long maxContentLength;
    private final int maxTrailerBytes;

    private int state = SIZE;
    private final byte[] line = new byte[MAX_SIZE_LINE];
    private int lineLen;
    private long chunkLeft;
    private int trailerBytes;
    private byte[] body = EMPTY;
    private int bodyLen;

    ChunkedDecoder(long maxContentLength, int maxTrailerBytes) {
        this.maxContentLength = maxContentLength;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    boolean isDone() {
        return state == DONE;
    }

    /** Bytes allocated for the body so far. */
    int capacity() {
        return body.length;
    }

    /** The decoded body, exactly sized. */
    byte[] body() {
        return bodyLen == body.length ? body : Arrays.copyOf(body, bodyLen);
    }

    /** Consumes bytes of {@code buf}; returns true once the last chunk and trailers are read. */
    boolean decode(ByteBuffer buf) throws HttpError {
        byte[] a = buf.array();
        int p = buf.arrayOffset() + buf.position();
        int end = buf.arrayOffset() + buf.limit();
        try {
            while (p < end && state != DONE) {
                switch (state) {
                    case DATA: {
                        if (bodyLen == body.length) {
                            grow();
                        }
                        int n = (int) Math.min(Math.min(chunkLeft, end - p), body.length - bodyLen);
                        System.arraycopy(a, p, body, bodyLen, n);
                        bodyLen += n;
                        p += n;
                        chunkLeft -= n;
                        if (chunkLeft == 0) {
                            state = DATA_CR;
                        }
                        break;
                    }
                    case DATA_CR: {
                        byte b = a[p++];
                        if (b == '\r') {
                            state = DATA_LF;
                        } else if (b == '\n') {
                            state = SIZE;
                        } else {
                            throw new HttpError(400, "chunk data not followed by CRLF");
                        }
                        break;
                    }
                    case DATA_LF: {
                        if (a[p++] != '\n') {
                            throw new HttpError(400, "chunk data not followed by CRLF");
                        }
                        state = SIZE;
                        break;
                    }
                    default: { // SIZE or TRAILER: line oriented
                        byte b = a[p++];
                        if (b != '\n') {
                            if (state == TRAILER && ++trailerBytes > maxTrailerBytes) {
                                throw new HttpError(431, "trailer section too large");
                            }
                            if (lineLen == line.length) {
                                if (state == SIZE) {
                                    throw new HttpError(400, "chunk size line too long");
                                }
                                lineLen = 0; // long trailer line: only its length matters
                            }
                            line[lineLen++] = b;
                            break;
                        }
                        int len = lineLen;
                        lineLen = 0;
                        if (len > 0 && line[len - 1] == '\r') {
                            len--;
                        }
                        if (state == SIZE) {
                            sizeLine(len);
                        } else if (len == 0) {
                            state = DONE;
                        }
                        break;
                    }
                }
            }
        } finally {
            buf.position(p - buf.arrayOffset());
        }
        return state == DONE;
    }

    private void sizeLine(int len) throws HttpError {
        int i = 0;
        long size = 0;
        int digits = 0;
        while (i < len) {
            int d = Character.digit(line[i], 16);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw new HttpError(413, "request body too large");
            }
            size = (size << 4) | d;
            i++;
        }
        if (digits == 0) {
            throw new HttpError(400, "bad chunk size");
        }
        while (i < len && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i < len && line[i] != ';') {
            throw new HttpError(400, "bad chunk size");
        }
        for (int j = i; j < len; j++) {
            byte c = line[j];
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpError(400, "bad chunk extension");
            }
        }
        if (size > maxContentLength - bodyLen) {
            throw new HttpError(413, "request body too large");
        }
        if (size == 0) {
            state = TRAILER;
            return;
        }
        chunkLeft = size;
        state = DATA;
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
