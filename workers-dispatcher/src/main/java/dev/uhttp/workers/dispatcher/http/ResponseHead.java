package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.internal.HeaderRules;

/**
 * Encodes a response head into one exactly sized byte array: the pre-encoded status line, the cached
 * {@code Date} line, the caller's headers (checked for CR/LF and other control characters), then the
 * framing headers the engine owns. Caller-supplied {@code Content-Length}, {@code Transfer-Encoding},
 * {@code Connection} and {@code Date} are dropped, since the engine decides framing; a caller's
 * {@code Connection: close} is honoured by closing after the response.
 */
final class ResponseHead {
    private static final byte[] CL = "Content-Length: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TE_CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONN_CLOSE = "Connection: close\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONN_KEEP = "Connection: keep-alive\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] REQUEST_ID = "X-Request-Id: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ResponseHead() {
    }

    /**
     * Checks a flat header array.
     *
     * @return true if it carries {@code Connection: close}
     * @throws IllegalArgumentException for an odd length, a null, a name that is not a token, or a
     *                                  value holding CR, LF or another control character
     */
    static boolean validate(String[] headers) {
        if (headers == null) {
            return false;
        }
        if ((headers.length & 1) != 0) {
            throw new IllegalArgumentException("headers must be name/value pairs");
        }
        boolean close = false;
        for (int i = 0; i < headers.length; i += 2) {
            String name = headers[i];
            String value = headers[i + 1];
            if (name == null || value == null) {
                throw new IllegalArgumentException("null header name or value");
            }
            HeaderRules.check(name, value);
            if (name.equalsIgnoreCase("connection") && value.toLowerCase(java.util.Locale.ROOT).contains("close")) {
                close = true;
            }
        }
        return close;
    }

    private static boolean skipped(String name) {
        switch (name.length()) {
            case 4: return name.equalsIgnoreCase("date");
            case 10: return name.equalsIgnoreCase("connection");
            case 12: return name.equalsIgnoreCase("x-request-id"); // the engine's own, below
            case 14: return name.equalsIgnoreCase("content-length");
            case 17: return name.equalsIgnoreCase("transfer-encoding");
            default: return false;
        }
    }

    /**
     * @param contentLength the {@code Content-Length} to send, or -1 for none
     */
    static byte[] encode(int status, byte[] dateLine, String[] a, String[] b, long contentLength,
                         boolean chunked, boolean close, CharSequence requestId) {
        byte[] statusLine = HttpStatus.statusLine(status);
        byte[] out = new byte[size(statusLine, dateLine, a, b, contentLength, chunked, close, requestId)];
        int p = encodeInto(out, 0, statusLine, dateLine, a, b, contentLength, chunked, close, requestId);
        assert p == out.length;
        return out;
    }

    /** The bytes {@link #encode} takes for these arguments ({@code statusLine}: {@link HttpStatus#statusLine}). */
    static int size(byte[] statusLine, byte[] dateLine, String[] a, String[] b, long contentLength,
                    boolean chunked, boolean close, CharSequence requestId) {
        int size = statusLine.length + dateLine.length + 2;
        size += length(a) + length(b) + REQUEST_ID.length + requestId.length() + 2;
        if (contentLength >= 0) {
            size += CL.length + digits(contentLength) + 2;
        }
        if (chunked) {
            size += TE_CHUNKED.length;
        }
        return size + (close ? CONN_CLOSE.length : CONN_KEEP.length);
    }

    /** Writes the head into {@code out} from {@code p} ({@link #size} bytes); returns the index after it. */
    static int encodeInto(byte[] out, int p, byte[] statusLine, byte[] dateLine, String[] a, String[] b,
                          long contentLength, boolean chunked, boolean close, CharSequence requestId) {
        p = put(out, p, statusLine);
        p = put(out, p, dateLine);
        p = put(out, p, a);
        p = put(out, p, b);
        p = put(out, p, REQUEST_ID);
        p = putString(out, p, requestId);
        out[p++] = '\r';
        out[p++] = '\n';
        if (contentLength >= 0) {
            p = put(out, p, CL);
            int d = digits(contentLength);
            long v = contentLength;
            for (int i = p + d - 1; i >= p; i--) {
                out[i] = (byte) ('0' + (v % 10));
                v /= 10;
            }
            p += d;
            out[p++] = '\r';
            out[p++] = '\n';
        }
        if (chunked) {
            p = put(out, p, TE_CHUNKED);
        }
        p = put(out, p, close ? CONN_CLOSE : CONN_KEEP);
        out[p++] = '\r';
        out[p++] = '\n';
        return p;
    }

    private static int length(String[] h) {
        if (h == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < h.length; i += 2) {
            if (!skipped(h[i])) {
                n += h[i].length() + 2 + h[i + 1].length() + 2;
            }
        }
        return n;
    }

    private static int put(byte[] out, int p, String[] h) {
        if (h == null) {
            return p;
        }
        for (int i = 0; i < h.length; i += 2) {
            if (skipped(h[i])) {
                continue;
            }
            p = putString(out, p, h[i]);
            out[p++] = ':';
            out[p++] = ' ';
            p = putString(out, p, h[i + 1]);
            out[p++] = '\r';
            out[p++] = '\n';
        }
        return p;
    }

    private static int putString(byte[] out, int p, CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            out[p++] = (byte) s.charAt(i);
        }
        return p;
    }

    private static int put(byte[] out, int p, byte[] b) {
        System.arraycopy(b, 0, out, p, b.length);
        return p + b.length;
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }
}
