package dev.uhttp.workers.worker.encoding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * JSON for plain values, written into a buffer reused from one value to the next: the handler
 * results most routes return ({@code Map.of("hello", "world")}) without Jackson's generator, context
 * and serializer objects per call. Plain means: {@code null}, {@link String}, {@link Boolean},
 * {@link Integer}, {@link Long}, {@link Short}, {@link Byte}, finite {@link Double} and {@link Float},
 * {@link BigInteger}, {@link BigDecimal}, and the JDK's own {@link Map}s with {@link String} keys,
 * {@link Collection}s and object arrays of those, nested up to {@value #MAX_DEPTH} levels. For anything
 * else (a record, a POJO, a {@code byte[]}, a user's own map class) {@link #write} returns false and
 * the caller uses Jackson; for plain values the bytes are exactly what {@link Json#mapper()} writes
 * (its default features: no spaces, {@code \b \t \n \f \r \" \\} escaped short, other control
 * characters and every UTF-16 surrogate as an upper-case {@code \}{@code uXXXX}, the rest as UTF-8;
 * numbers by {@code toString}), which {@code PlainJsonTest} checks against Jackson over random values.
 *
 * <p>One instance per thread ({@link #forThisThread()}); the buffer is the caller's until its next
 * {@link #write} on that thread.
 */
public final class PlainJson {
    static final int MAX_DEPTH = 64;
    /** A buffer grown past this is dropped after use, so that one big answer does not stay held. */
    static final int KEEP_AT_MOST = 64 * 1024;
    /** A long string is written this many chars at a time: room for its worst case, not six times its whole length. */
    private static final int SEGMENT = 4096;
    private static final ThreadLocal<PlainJson> LOCAL = ThreadLocal.withInitial(PlainJson::new);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final Module JDK = Object.class.getModule();
    private static final Class<?> MAP_OF_ONE = Map.of("", "").getClass();

    private byte[] buf = new byte[512];
    private int len;

    PlainJson() {
    }

    /** This thread's instance. */
    public static PlainJson forThisThread() {
        return LOCAL.get();
    }

    /**
     * Writes {@code value} as JSON into the buffer, from its start.
     *
     * @return false when {@code value} is not plain (the buffer then holds nothing useful)
     */
    public boolean write(Object value) {
        if (buf.length > KEEP_AT_MOST) {
            buf = new byte[512];
        }
        len = 0;
        return value(value, 0);
    }

    /** The buffer holding the last value written, from index 0 up to {@link #length()}. */
    public byte[] buffer() {
        return buf;
    }

    /** How many bytes of {@link #buffer()} the last value took. */
    public int length() {
        return len;
    }

    /** A copy of the last value's bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private boolean value(Object v, int depth) {
        if (v == null) {
            raw(NULL);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Boolean b) {
            raw(b ? TRUE : FALSE);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof Double d) {
            if (!Double.isFinite(d)) {
                return false; // Jackson writes "NaN" and the infinities as strings
            }
            ascii(Double.toString(d));
        } else if (v instanceof Float f) {
            if (!Float.isFinite(f)) {
                return false;
            }
            ascii(Float.toString(f));
        } else if (v instanceof BigInteger || v instanceof BigDecimal) {
            ascii(v.toString());
        } else if (depth >= MAX_DEPTH) {
            return false; // Jackson decides (its own depth limit, a cycle)
        } else if (v instanceof Map<?, ?> m) {
            return v.getClass().getModule() == JDK && map(m, depth + 1);
        } else if (v instanceof Collection<?> c) {
            return v.getClass().getModule() == JDK && collection(c, depth + 1);
        } else if (v instanceof Object[] a) {
            return array(a, depth + 1);
        } else {
            return false;
        }
        return true;
    }

    private boolean map(Map<?, ?> m, int depth) {
        put((byte) '{');
        boolean first = true;
        if (m.getClass() == MAP_OF_ONE) {
            // The same loop, at a call site that sees one class only: the JIT then removes the entry
            // set, its iterator and the entry Map.of(k, v) makes for each loop (a site that sees several
            // map classes merges their iterators, and keeps them all).
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!entry(e.getKey(), e.getValue(), first, depth)) {
                    return false;
                }
                first = false;
            }
        } else {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!entry(e.getKey(), e.getValue(), first, depth)) {
                    return false;
                }
                first = false;
            }
        }
        put((byte) '}');
        return true;
    }

    private boolean entry(Object k, Object v, boolean first, int depth) {
        if (!(k instanceof String key)) {
            return false; // Jackson's key serializers (and its error for a null key)
        }
        if (!first) {
            put((byte) ',');
        }
        string(key);
        put((byte) ':');
        return value(v, depth);
    }

    private boolean collection(Collection<?> c, int depth) {
        put((byte) '[');
        boolean first = true;
        for (Object o : c) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            if (!value(o, depth)) {
                return false;
            }
        }
        put((byte) ']');
        return true;
    }

    private boolean array(Object[] a, int depth) {
        put((byte) '[');
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                put((byte) ',');
            }
            if (!value(a[i], depth)) {
                return false;
            }
        }
        put((byte) ']');
        return true;
    }

    private void string(String s) {
        put((byte) '"');
        for (int from = 0, n = s.length(); from < n; from += SEGMENT) {
            segment(s, from, Math.min(n, from + SEGMENT));
        }
        put((byte) '"');
    }

    /** Chars {@code [from, to)} of {@code s}, the room for their worst case (six-byte escapes) made first. */
    private void segment(String s, int from, int to) {
        ensure((to - from) * 6);
        byte[] b = buf;
        int p = len;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                    continue;
                }
                b[p++] = '\\';
                switch (c) {
                    case '"' -> b[p++] = '"';
                    case '\\' -> b[p++] = '\\';
                    case '\b' -> b[p++] = 'b';
                    case '\t' -> b[p++] = 't';
                    case '\n' -> b[p++] = 'n';
                    case '\f' -> b[p++] = 'f';
                    case '\r' -> b[p++] = 'r';
                    default -> p = unicodeEscape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[p++] = '\\';
                p = unicodeEscape(b, p, c); // Jackson's default: each half escaped, paired or not
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        len = p;
    }

    /** {@code uXXXX} (the backslash already written). */
    private static int unicodeEscape(byte[] b, int p, char c) {
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    private void integer(long v) {
        if (v == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int p = len + digits;
        len = p;
        do {
            buf[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i); // digits, signs, '.', 'E': ASCII only
        }
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
