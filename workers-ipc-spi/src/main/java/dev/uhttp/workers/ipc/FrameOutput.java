package dev.uhttp.workers.ipc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A growable buffer with 4 bytes reserved in front for the length prefix, and the MessagePack writer
 * that fills it: the same encoding as msgpack-core's packer (smallest form of each value), written
 * straight into the array, so encoding a frame allocates nothing (no packer, no buffer wrappers, no
 * byte array per ASCII string). Reused per thread by {@link FrameCodec} ({@link #reset}).
 */
final class FrameOutput {
    private byte[] buf;
    private int size = 4;
    /** encodeParts: large bodies become parts of their own. */
    boolean separateBodies;
    /** Parts before the current one (encodeParts), else null; the current one starts at partStart. */
    private List<ByteBuffer> parts;
    private int partStart;
    long separateBytes;

    FrameOutput(int capacity) {
        buf = new byte[Math.max(64, capacity + 4)];
    }

    int size() {
        return size;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + extra, buf.length * 2));
        }
    }

    /** Per thread: the buffer frames are packed into, reused (see {@link FrameCodec#packed}). */
    private static final ThreadLocal<FrameOutput> SCRATCH = new ThreadLocal<>();
    /** A thread's buffer that grew past this for one large frame is not kept. */
    private static final int SCRATCH_KEEP_BYTES = 64 * 1024;

    /** This thread's reused buffer, empty. */
    static FrameOutput ofThisThread() {
        FrameOutput out = SCRATCH.get();
        if (out == null || out.capacity() > SCRATCH_KEEP_BYTES) {
            out = new FrameOutput(1024);
            SCRATCH.set(out);
        }
        out.reset();
        return out;
    }

    /** Empties the buffer for the next frame (keeps its array). */
    void reset() {
        size = 4;
        separateBodies = false;
        parts = null;
        partStart = 0;
        separateBytes = 0;
    }

    /** The array holding the frame, from index 0 to {@link #size()} (length prefix set by {@link #toFrame}). */
    byte[] array() {
        return buf;
    }

    /** Capacity of the array (a thread's reused buffer that grew for one large frame is not kept). */
    int capacity() {
        return buf.length;
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    // ------------------------------------------------------------------ MessagePack

    private void put1(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    private void putN(int type, long v, int bytes) {
        ensure(1 + bytes);
        buf[size++] = (byte) type;
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    FrameOutput packNil() {
        put1(0xc0);
        return this;
    }

    FrameOutput packBoolean(boolean v) {
        put1(v ? 0xc3 : 0xc2);
        return this;
    }

    FrameOutput packInt(int v) {
        return packLong(v);
    }

    FrameOutput packLong(long v) {
        if (v < -(1L << 5)) {
            if (v < -(1L << 15)) {
                if (v < -(1L << 31)) {
                    putN(0xd3, v, 8);
                } else {
                    putN(0xd2, v, 4);
                }
            } else if (v < -(1 << 7)) {
                putN(0xd1, v, 2);
            } else {
                putN(0xd0, v, 1);
            }
        } else if (v < (1 << 7)) {
            put1((int) v); // positive or negative fixint
        } else if (v < (1 << 8)) {
            putN(0xcc, v, 1);
        } else if (v < (1 << 16)) {
            putN(0xcd, v, 2);
        } else if (v < (1L << 32)) {
            putN(0xce, v, 4);
        } else {
            putN(0xcf, v, 8);
        }
        return this;
    }

    FrameOutput packBigInteger(java.math.BigInteger v) {
        if (v.bitLength() <= 63) {
            return packLong(v.longValue());
        }
        if (v.bitLength() == 64 && v.signum() == 1) {
            putN(0xcf, v.longValue(), 8);
            return this;
        }
        throw new IllegalArgumentException("MessagePack cannot serialize BigInteger larger than 2^64-1");
    }

    FrameOutput packDouble(double v) {
        putN(0xcb, Double.doubleToRawLongBits(v), 8);
        return this;
    }

    FrameOutput packArrayHeader(int n) {
        return header(n, 0x90, 0xdc, 0xdd);
    }

    FrameOutput packMapHeader(int n) {
        return header(n, 0x80, 0xde, 0xdf);
    }

    private FrameOutput header(int n, int fix, int type16, int type32) {
        if (n < 0) {
            throw new IllegalArgumentException("negative size");
        }
        if (n < 16) {
            put1(fix | n);
        } else if (n < (1 << 16)) {
            putN(type16, n, 2);
        } else {
            putN(type32, n, 4);
        }
        return this;
    }

    FrameOutput packBinaryHeader(int n) {
        if (n < (1 << 8)) {
            putN(0xc4, n, 1);
        } else if (n < (1 << 16)) {
            putN(0xc5, n, 2);
        } else {
            putN(0xc6, n, 4);
        }
        return this;
    }

    private void stringHeader(int n) {
        if (n < (1 << 5)) {
            put1(0xa0 | n);
        } else if (n < (1 << 8)) {
            putN(0xd9, n, 1);
        } else if (n < (1 << 16)) {
            putN(0xda, n, 2);
        } else {
            putN(0xdb, n, 4);
        }
    }

    /** A string as UTF-8: ASCII strings (headers, paths, methods) are written char by char, no copy. */
    FrameOutput packString(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                stringHeader(utf8.length);
                write(utf8, 0, utf8.length);
                return this;
            }
        }
        stringHeader(n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** A string from any text (a reused builder's): as {@link #packString(String)}, no string made when ASCII. */
    FrameOutput packString(CharSequence s) {
        if (s instanceof String str) {
            return packString(str);
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return packString(s.toString());
            }
        }
        stringHeader(n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    FrameOutput writePayload(byte[] data) {
        write(data, 0, data.length);
        return this;
    }

    /** Sets the length prefix: the frame is {@link #array()} from 0 to {@link #size()}. */
    void finish() {
        putLength(buf, size - 4);
    }

    ByteBuffer toFrame() {
        finish();
        return ByteBuffer.wrap(buf, 0, size);
    }

    /** Ends the current part and adds {@code data} as a part of its own. */
    void appendPart(byte[] data) {
        if (parts == null) {
            parts = new ArrayList<>(3);
        }
        parts.add(ByteBuffer.wrap(buf, partStart, size - partStart));
        parts.add(ByteBuffer.wrap(data));
        separateBytes += data.length;
        partStart = size;
    }

    ByteBuffer[] toParts() {
        if (parts == null) {
            return new ByteBuffer[] {toFrame()};
        }
        // The first part holds the length prefix; buf may have been replaced since it was cut.
        putLength(parts.get(0).array(), (int) (size - 4 + separateBytes));
        if (size > partStart) {
            parts.add(ByteBuffer.wrap(buf, partStart, size - partStart));
        }
        return parts.toArray(new ByteBuffer[0]);
    }

    private static void putLength(byte[] b, int payload) {
        b[0] = (byte) (payload >>> 24);
        b[1] = (byte) (payload >>> 16);
        b[2] = (byte) (payload >>> 8);
        b[3] = (byte) payload;
    }
}
