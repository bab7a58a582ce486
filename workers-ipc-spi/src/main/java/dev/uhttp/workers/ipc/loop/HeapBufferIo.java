package dev.uhttp.workers.ipc.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * Non-blocking socket reads and writes with heap buffers, offering the JDK at most
 * {@link #MAX_BYTES_PER_CALL} bytes per system call.
 *
 * <p>Why: the JDK moves a heap buffer through a temporary direct buffer as large as the bytes offered.
 * A write copies everything offered although the socket takes only what fits its send buffer, so a
 * 1 MiB body written to a Unix socket that takes about 200 KiB per call is copied three times over;
 * and an offer larger than any temporary buffer the thread has cached makes the JDK free one and
 * allocate a new one (fresh pages, zeroed by the kernel). Bounded offers keep the copies close to
 * the bytes moved and the temporary buffers reused.
 */
public final class HeapBufferIo {
    /** The most bytes offered to one read or write call. */
    public static final int MAX_BYTES_PER_CALL = 256 * 1024;

    private HeapBufferIo() {
    }

    /**
     * Writes from {@code srcs[offset..offset+length)} in bounded calls until everything is written or
     * the channel takes less than offered (its send buffer is full).
     *
     * @return the bytes written, fewer than remained only when the channel is full
     * @throws IOException as the channel's write; the buffers' positions then show what was written
     *     before, and the channel is to be closed, as after any failed write
     */
    public static long write(GatheringByteChannel ch, ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        while (true) {
            // Offer whole buffers up to the bound; the buffer that crosses it is cut (limit lowered).
            long offered = 0;
            int count = 0;
            int cut = -1;
            int cutLimit = 0;
            for (int i = offset; i < offset + length && offered < MAX_BYTES_PER_CALL; i++) {
                ByteBuffer b = srcs[i];
                int r = b.remaining();
                count++;
                if (offered + r > MAX_BYTES_PER_CALL) {
                    cut = i;
                    cutLimit = b.limit();
                    b.limit(b.position() + (int) (MAX_BYTES_PER_CALL - offered));
                    offered = MAX_BYTES_PER_CALL;
                } else {
                    offered += r;
                }
            }
            if (offered == 0) {
                return total;
            }
            long w;
            try {
                w = count == 1 ? ch.write(srcs[offset]) : ch.write(srcs, offset, count);
            } finally {
                if (cut >= 0) {
                    srcs[cut].limit(cutLimit);
                }
            }
            total += w;
            boolean more = cut >= 0 || count < length;
            if (w < offered || !more) {
                return total; // the channel is full, or everything was offered and taken
            }
            while (length > 0 && !srcs[offset].hasRemaining()) {
                offset++;
                length--;
            }
        }
    }

    /** Reads into {@code dst}, at most {@link #MAX_BYTES_PER_CALL} bytes; as {@link ReadableByteChannel#read}. */
    public static int read(ReadableByteChannel ch, ByteBuffer dst) throws IOException {
        int limit = dst.limit();
        if (dst.remaining() <= MAX_BYTES_PER_CALL) {
            return ch.read(dst);
        }
        dst.limit(dst.position() + MAX_BYTES_PER_CALL);
        try {
            return ch.read(dst);
        } finally {
            dst.limit(limit);
        }
    }
}
