package dev.uhttp.workers.dispatcher.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** One piece of queued response output: bytes in memory, or a region of a file sent with transferTo. */
sealed interface OutboundPart permits OutboundPart.Bytes, OutboundPart.FileRegion {

    /**
     * Bytes to write (the buffer's position advances as they are written; the array is not copied).
     * {@code pooled}: the array is a {@link dev.uhttp.workers.ipc.PiecePool} piece, given back once the
     * part is written in full or dropped.
     */
    record Bytes(ByteBuffer buffer, boolean pooled) implements OutboundPart {
        Bytes(ByteBuffer buffer) {
            this(buffer, false);
        }

        static Bytes of(byte[] b) {
            return new Bytes(ByteBuffer.wrap(b));
        }

        /** A part over a pooled piece array, which the queue gives back when done with it. */
        static Bytes piece(byte[] b) {
            return new Bytes(ByteBuffer.wrap(b), true);
        }
    }

    /** A file segment still to send; position and remaining advance as it is sent. */
    final class FileRegion implements OutboundPart {
        final FileChannel channel;
        long position;
        long remaining;

        FileRegion(FileChannel channel, long position, long count) {
            this.channel = channel;
            this.position = position;
            this.remaining = count;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only file
            }
        }
    }
}
