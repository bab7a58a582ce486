package dev.uhttp.workers.ipc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A growable buffer with 4 bytes reserved in front for the length prefix. */
final class FrameOutput implements org.msgpack.core.buffer.MessageBufferOutput {
    private byte[] buf;
    private int size = 4;
    /** encodeParts: large bodies become parts of their own. */
    boolean separateBodies;
    /** Parts before the current one (encodeParts), else null; the current one starts at partStart. */
    private List<ByteBuffer> parts;
    private int partStart;
    long separateBytes;
    private org.msgpack.core.buffer.MessageBuffer lastNext;
    private int lastNextOffset;

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

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    @Override
    public org.msgpack.core.buffer.MessageBuffer next(int minimumSize) {
        ensure(minimumSize);
        lastNextOffset = size;
        lastNext = org.msgpack.core.buffer.MessageBuffer.wrap(buf, size, buf.length - size);
        return lastNext;
    }

    @Override
    public void writeBuffer(int length) {
        size = lastNextOffset + length;
    }

    @Override
    public void add(byte[] b, int off, int len) {
        write(b, off, len);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    ByteBuffer toFrame() {
        putLength(buf, size - 4);
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
