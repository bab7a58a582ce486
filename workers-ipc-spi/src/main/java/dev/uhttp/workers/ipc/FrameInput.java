package dev.uhttp.workers.ipc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The MessagePack reader frames are decoded with (the mirror of {@link FrameOutput}): reads straight
 * from the received array, so decoding a frame allocates only the message itself (no unpacker, no
 * buffer wrappers, no slice per string). Each read accepts what msgpack-core's unpacker accepts for
 * the same call (every integer form whose value fits; a string header also from a {@code bin}, a
 * binary header also from a {@code str}, as msgpack-core allows by default) and fails where it fails:
 * checked against msgpack-core by {@code FrameInputTest}. Reused per thread ({@link #over}).
 */
final class FrameInput {
    /** Value types, as msgpack-core's {@code ValueType}. */
    static final int NIL = 0, BOOLEAN = 1, INTEGER = 2, FLOAT = 3, STRING = 4, BINARY = 5, ARRAY = 6, MAP = 7,
            EXTENSION = 8;

    private byte[] buf;
    private int start;
    private int pos;
    private int end;

    private static final ThreadLocal<FrameInput> SCRATCH = ThreadLocal.withInitial(FrameInput::new);

    /** This thread's reader over {@code length} bytes of {@code payload} from {@code offset}; {@link #release} after. */
    static FrameInput over(byte[] payload, int offset, int length) {
        FrameInput in = SCRATCH.get();
        in.buf = payload;
        in.start = offset;
        in.pos = offset;
        in.end = offset + length;
        return in;
    }

    /** Forgets the array (a large payload is not kept alive by the thread's reader). */
    void release() {
        buf = null;
    }

    /** Bytes read so far (msgpack-core's {@code getTotalReadBytes}). */
    long readBytes() {
        return pos - start;
    }

    /** Index in the array of the next byte. */
    int position() {
        return pos;
    }

    byte[] array() {
        return buf;
    }

    boolean hasNext() {
        return pos < end;
    }

    /**
     * Thrown when a value runs past the bytes given: a large frame's head is then read again, longer.
     * That is the normal path of every frame whose head arrives in parts, so it is one shared instance
     * without a stack trace ({@link #TRUNCATED}): throwing it allocates nothing and walks no stack. Its
     * callers catch it at once (a need for more bytes, or wrapped in the error of a frame that really
     * is cut short, whose own trace says where).
     */
    static final class Truncated extends IpcProtocolException {
        private static final long serialVersionUID = 1L;

        private Truncated() {
            super("frame ends inside a value", null); // a null cause, fixed: initCause cannot change the shared one
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // shared and thrown on a normal path: a trace would be the first thrower's, and costly
        }
    }

    /** The one {@link Truncated}, thrown wherever a value runs past the bytes given. */
    static final Truncated TRUNCATED = new Truncated();

    private int peek() throws IpcProtocolException {
        if (pos >= end) {
            throw TRUNCATED;
        }
        return buf[pos] & 0xff;
    }

    private void need(long n) throws IpcProtocolException {
        if (n > end - pos) {
            throw TRUNCATED;
        }
    }

    private int u8() throws IpcProtocolException {
        need(1);
        return buf[pos++] & 0xff;
    }

    private int u16() throws IpcProtocolException {
        need(2);
        int v = (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private int i32() throws IpcProtocolException {
        need(4);
        int v = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8 | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    private long i64() throws IpcProtocolException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    /** A 32-bit length: msgpack-core refuses one past {@code Integer.MAX_VALUE}. */
    private int length32() throws IpcProtocolException {
        int n = i32();
        if (n < 0) {
            throw new IpcProtocolException("length " + Integer.toUnsignedString(n) + " overflows an int");
        }
        return n;
    }

    private static IpcProtocolException mismatch(String expected, int b) {
        return new IpcProtocolException("expected " + expected + ", got 0x" + Integer.toHexString(b));
    }

    /** The type of the next value, without reading it. */
    int nextType() throws IpcProtocolException {
        int b = peek();
        if (b <= 0x7f || b >= 0xe0) {
            return INTEGER;
        } else if (b <= 0x8f) {
            return MAP;
        } else if (b <= 0x9f) {
            return ARRAY;
        } else if (b <= 0xbf) {
            return STRING;
        }
        return switch (b) {
            case 0xc0 -> NIL;
            case 0xc2, 0xc3 -> BOOLEAN;
            case 0xc4, 0xc5, 0xc6 -> BINARY;
            case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> EXTENSION;
            case 0xca, 0xcb -> FLOAT;
            case 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3 -> INTEGER;
            case 0xd9, 0xda, 0xdb -> STRING;
            case 0xdc, 0xdd -> ARRAY;
            case 0xde, 0xdf -> MAP;
            default -> throw mismatch("a value", b); // 0xc1, never used
        };
    }

    /** Whether the next value is a {@code uint 64} (which may not fit a long). */
    boolean nextIsUint64() throws IpcProtocolException {
        return peek() == 0xcf;
    }

    void readNil() throws IpcProtocolException {
        int b = u8();
        if (b != 0xc0) {
            pos--;
            throw mismatch("nil", b);
        }
    }

    boolean readBoolean() throws IpcProtocolException {
        int b = peek();
        if (b != 0xc2 && b != 0xc3) {
            throw mismatch("a boolean", b);
        }
        pos++;
        return b == 0xc3;
    }

    int readInt() throws IpcProtocolException {
        long v = readLong();
        if (v != (int) v) {
            throw new IpcProtocolException("integer " + v + " does not fit an int");
        }
        return (int) v;
    }

    long readLong() throws IpcProtocolException {
        int b = peek();
        if (b <= 0x7f || b >= 0xe0) {
            pos++;
            return (byte) b;
        }
        long v = switch (b) {
            case 0xcc -> { pos++; yield u8(); }
            case 0xcd -> { pos++; yield u16(); }
            case 0xce -> { pos++; yield i32() & 0xffffffffL; }
            case 0xcf -> { pos++; long l = i64(); if (l < 0) { pos -= 9; throw new IpcProtocolException("uint64 does not fit a long"); } yield l; }
            case 0xd0 -> { pos++; yield (byte) u8(); }
            case 0xd1 -> { pos++; yield (short) u16(); }
            case 0xd2 -> { pos++; yield i32(); }
            case 0xd3 -> { pos++; yield i64(); }
            default -> throw mismatch("an integer", b);
        };
        return v;
    }

    BigInteger readBigInteger() throws IpcProtocolException {
        if (peek() == 0xcf) {
            pos++;
            long l = i64();
            return l < 0 ? BigInteger.valueOf(l & Long.MAX_VALUE).setBit(63) : BigInteger.valueOf(l);
        }
        return BigInteger.valueOf(readLong());
    }

    double readDouble() throws IpcProtocolException {
        int b = peek();
        if (b == 0xca) {
            pos++;
            return Float.intBitsToFloat(i32());
        } else if (b == 0xcb) {
            pos++;
            return Double.longBitsToDouble(i64());
        }
        throw mismatch("a float", b);
    }

    int readArrayHeader() throws IpcProtocolException {
        return containerHeader(0x90, 0xdc, "an array");
    }

    int readMapHeader() throws IpcProtocolException {
        return containerHeader(0x80, 0xde, "a map");
    }

    /** An array's or a map's header: a fix form ({@code fix} to {@code fix + 15}), then its 16 and 32 bit forms. */
    private int containerHeader(int fix, int form16, String what) throws IpcProtocolException {
        int b = peek();
        if (b >= fix && b <= fix + 0x0f) {
            pos++;
            return b & 0x0f;
        } else if (b == form16) {
            pos++;
            return u16();
        } else if (b == form16 + 1) {
            pos++;
            return length32();
        }
        throw mismatch(what, b);
    }

    /** A {@code str} header, or a {@code bin} one (msgpack-core reads binary as string by default). */
    int readStringHeader() throws IpcProtocolException {
        return rawHeader("a string");
    }

    /** A {@code bin} header, or a {@code str} one (msgpack-core reads string as binary by default). */
    int readBinaryHeader() throws IpcProtocolException {
        return rawHeader("binary");
    }

    /** A {@code str} or {@code bin} header (fixstr, str8/16/32, bin8/16/32): the length that follows. */
    private int rawHeader(String what) throws IpcProtocolException {
        int b = peek();
        if (b >= 0xa0 && b <= 0xbf) {
            pos++;
            return b & 0x1f;
        }
        int n = rawLength(b);
        if (n < 0) {
            throw mismatch(what, b);
        }
        return n;
    }

    /** The length of a str8/16/32 or bin8/16/32 header, read; -1 (nothing read) for another byte. */
    private int rawLength(int b) throws IpcProtocolException {
        switch (b) {
            case 0xd9, 0xc4 -> { pos++; return u8(); }
            case 0xda, 0xc5 -> { pos++; return u16(); }
            case 0xdb, 0xc6 -> { pos++; return length32(); }
            default -> { return -1; }
        }
    }

    /** Skips {@code n} raw bytes (a string's or body's); fails when the bytes given end inside them. */
    void skip(int n) throws IpcProtocolException {
        need(n);
        pos += n;
    }

    /** A UTF-8 string of {@code n} bytes at the position (malformed input replaced, as msgpack-core does). */
    String readUtf8(int n) throws IpcProtocolException {
        need(n);
        String s = n == 0 ? "" : n <= RECENT_BYTES ? recentOrNew(n) : new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** Strings up to this many bytes are looked up in {@link #recent}. */
    private static final int RECENT_BYTES = 64;
    /**
     * Short ASCII strings this thread decoded, by a hash of their bytes: the same bytes again (header
     * names and values of every response, methods) give the same immutable String, not a new one.
     */
    private final String[] recent = new String[256];

    private String recentOrNew(int n) {
        int h = n;
        for (int i = pos, end = pos + n; i < end; i++) {
            if (buf[i] < 0) {
                return new String(buf, pos, n, StandardCharsets.UTF_8); // not ASCII: not kept
            }
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 16)) & (recent.length - 1);
        String s = recent[slot];
        if (s != null && s.length() == n && sameAscii(s)) {
            return s;
        }
        s = new String(buf, pos, n, StandardCharsets.ISO_8859_1); // ASCII, so the same as UTF-8
        recent[slot] = s;
        return s;
    }

    private boolean sameAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) != buf[pos + i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code n} raw bytes, copied. */
    byte[] readBytes(int n) throws IpcProtocolException {
        need(n);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Skips one value, nested ones included (iteratively: depth costs no stack). */
    void skipValue() throws IpcProtocolException {
        long left = 1;
        while (left > 0) {
            left--;
            int b = peek();
            switch (nextType()) {
                case NIL, BOOLEAN -> pos++;
                case INTEGER -> readLong0(b);
                case FLOAT -> skip1(b == 0xca ? 4 : 8);
                case STRING -> skip(readStringHeader());
                case BINARY -> skip(readBinaryHeader());
                case ARRAY -> left += readArrayHeader();
                case MAP -> left += 2L * readMapHeader();
                default -> skipExtension(b);
            }
        }
    }

    /** Skips an integer without range checks (a uint64 past Long.MAX_VALUE is fine to skip). */
    private void readLong0(int b) throws IpcProtocolException {
        pos++;
        switch (b) {
            case 0xcc, 0xd0 -> skip(1);
            case 0xcd, 0xd1 -> skip(2);
            case 0xce, 0xd2 -> skip(4);
            case 0xcf, 0xd3 -> skip(8);
            default -> { } // fixint
        }
    }

    private void skip1(int n) throws IpcProtocolException {
        pos++;
        skip(n);
    }

    private void skipExtension(int b) throws IpcProtocolException {
        pos++;
        int n = switch (b) {
            case 0xd4 -> 1;
            case 0xd5 -> 2;
            case 0xd6 -> 4;
            case 0xd7 -> 8;
            case 0xd8 -> 16;
            case 0xc7 -> u8();
            case 0xc8 -> u16();
            default -> length32();
        };
        skip(1 + n); // the type byte, then the data
    }
}
