package dev.uhttp.workers.dispatcher.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes a {@code Transfer-Encoding: chunked} body incrementally: chunk-size lines with optional
 * extensions (ignored), chunk data, and a trailer section that is read and discarded (counted against
 * the header limit).
 */
final class ChunkedDecoder {
    private static final int SIZE = 0;
    private static final int DATA = 1;
    private static final int DATA_CR = 2;
    private static final int DATA_LF = 3;
    private static final int TRAILER = 4;
    private static final int DONE = 5;

    private static final int MAX_SIZE_LINE = 4096;

    private final long maxContentLength;
    private final int maxTrailerBytes;

    private int state = SIZE;
    private final byte[] line = new byte[MAX_SIZE_LINE];
    private int lineLen;
    private long chunkLeft;
    private int trailerBytes;
    private byte[] body = new byte[0];
    private int bodyLen;

    ChunkedDecoder(long maxContentLength, int maxTrailerBytes) {
        this.maxContentLength = maxContentLength;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    boolean isDone() {
        return state == DONE;
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
                        int n = (int) Math.min(chunkLeft, end - p);
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
        int need = (int) (bodyLen + size);
        if (need > body.length) {
            int cap = (int) Math.min(maxContentLength, Math.max(need, Math.max(1024, body.length * 2L)));
            body = Arrays.copyOf(body, cap);
        }
        chunkLeft = size;
        state = DATA;
    }
}
