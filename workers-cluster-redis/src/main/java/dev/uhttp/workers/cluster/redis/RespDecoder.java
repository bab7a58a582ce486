package dev.uhttp.workers.cluster.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An incremental decoder of Redis replies, RESP2 and RESP3: bytes go in as they arrive ({@link #feed}),
 * whole values come out ({@link #next}), {@code null} while a value is incomplete. Values: simple
 * strings as {@link String}, bulk and verbatim strings as {@code byte[]}, integers as {@link Long},
 * big numbers as {@link java.math.BigInteger}, doubles as {@link Double}, booleans as {@link Boolean},
 * errors as {@link RespError}, arrays, sets and pushes as {@link List}, maps as {@link Map}, nulls as
 * {@link #NULL}; attributes are read and dropped. Input past the limits (bulk length, elements, nesting
 * depth) or not RESP is a {@link RespException}; the connection is then closed.
 */
final class RespDecoder {
    /** A RESP null (RESP2 {@code $-1}/{@code *-1}, RESP3 {@code _}). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** An error reply. */
    record RespError(String message) {
    }

    /** Thrown inside {@link #parse} when the buffer ends before the value. */
    private static final class Incomplete extends Exception {
        private static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super(null, null, false, false);
        }
    }

    private final int maxBulk;
    private final int maxElements;
    private final int maxDepth;
    private byte[] buf = new byte[4096];
    private int start;
    private int end;
    private int pos;

    RespDecoder(int maxBulk, int maxElements, int maxDepth) {
        this.maxBulk = maxBulk;
        this.maxElements = maxElements;
        this.maxDepth = maxDepth;
    }

    /** Appends what was read ({@code in} from its position to its limit). */
    void feed(ByteBuffer in) {
        int n = in.remaining();
        if (end + n > buf.length) {
            int live = end - start;
            if (live + n <= buf.length / 2) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                buf = Arrays.copyOfRange(buf, start, Math.max(buf.length * 2, live + n));
            }
            end = live;
            start = 0;
        }
        in.get(buf, end, n);
        end += n;
    }

    /** Bytes fed and not decoded yet. */
    int buffered() {
        return end - start;
    }

    /** The next whole value, or null when the bytes fed so far end inside one. */
    Object next() throws RespException {
        pos = start;
        try {
            Object v = parse(0);
            start = pos;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return v;
        } catch (Incomplete e) {
            return null;
        }
    }

    private Object parse(int depth) throws Incomplete, RespException {
        if (depth > maxDepth) {
            throw new RespException("nested deeper than " + maxDepth);
        }
        byte type = byteAt();
        pos++;
        switch (type) {
            case '+':
                return line();
            case '-':
                return new RespError(line());
            case ':':
                return integer(line());
            case '$':
            case '=':
            case '!': {
                long n = integer(line());
                if (n == -1 && type == '$') {
                    return NULL;
                }
                if (n < 0 || n > maxBulk) {
                    throw new RespException("bulk length " + n + " out of range");
                }
                if (end - pos < n + 2) {
                    throw Incomplete.INSTANCE;
                }
                byte[] bytes = Arrays.copyOfRange(buf, pos, pos + (int) n);
                pos += (int) n;
                if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
                    throw new RespException("bulk string not ended by CRLF");
                }
                pos += 2;
                if (type == '!') {
                    return new RespError(new String(bytes, StandardCharsets.UTF_8));
                }
                if (type == '=') {
                    if (bytes.length < 4 || bytes[3] != ':') {
                        throw new RespException("verbatim string without its format");
                    }
                    return Arrays.copyOfRange(bytes, 4, bytes.length);
                }
                return bytes;
            }
            case '*':
            case '~':
            case '>': {
                long n = integer(line());
                if (n == -1 && type == '*') {
                    return NULL;
                }
                List<Object> list = new ArrayList<>((int) Math.min(elements(n), 16));
                for (long i = 0; i < n; i++) {
                    list.add(parse(depth + 1));
                }
                return list;
            }
            case '%':
            case '|': {
                long n = integer(line());
                elements(n * 2);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (long i = 0; i < n; i++) {
                    Object key = parse(depth + 1);
                    map.put(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : key, parse(depth + 1));
                }
                return type == '|' ? parse(depth + 1) : map; // an attribute precedes the value it describes
            }
            case '_':
                if (!line().isEmpty()) {
                    throw new RespException("null with a value");
                }
                return NULL;
            case '#': {
                String v = line();
                if (v.equals("t")) {
                    return Boolean.TRUE;
                }
                if (v.equals("f")) {
                    return Boolean.FALSE;
                }
                throw new RespException("boolean '" + v + "'");
            }
            case ',': {
                String v = line();
                try {
                    return switch (v) {
                        case "inf" -> Double.POSITIVE_INFINITY;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        case "nan" -> Double.NaN;
                        default -> Double.valueOf(v);
                    };
                } catch (NumberFormatException e) {
                    throw new RespException("double '" + v + "'");
                }
            }
            case '(': {
                String v = line();
                try {
                    return new java.math.BigInteger(v);
                } catch (NumberFormatException e) {
                    throw new RespException("big number '" + v + "'");
                }
            }
            default:
                throw new RespException("unknown type byte 0x" + Integer.toHexString(type & 0xff));
        }
    }

    private long elements(long n) throws RespException {
        if (n < 0 || n > maxElements) {
            throw new RespException("element count " + n + " out of range");
        }
        return n;
    }

    private byte byteAt() throws Incomplete {
        if (pos >= end) {
            throw Incomplete.INSTANCE;
        }
        return buf[pos];
    }

    /** The text up to CRLF (ASCII for every type that uses it; a line may not hold a bare CR or LF). */
    private String line() throws Incomplete, RespException {
        for (int i = pos; i < end; i++) {
            byte b = buf[i];
            if (b == '\r') {
                if (i + 1 >= end) {
                    throw Incomplete.INSTANCE;
                }
                if (buf[i + 1] != '\n') {
                    throw new RespException("CR without LF");
                }
                String s = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                pos = i + 2;
                return s;
            }
            if (b == '\n') {
                throw new RespException("LF without CR");
            }
            if (i - pos > 64 * 1024) {
                throw new RespException("line longer than 64 KiB");
            }
        }
        throw Incomplete.INSTANCE;
    }

    private static long integer(String s) throws RespException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RespException("integer '" + s + "'");
        }
    }
}
