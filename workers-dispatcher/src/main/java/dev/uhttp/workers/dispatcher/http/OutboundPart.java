package dev.uhttp.workers.dispatcher.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** One piece of queued response output: bytes in memory, or a region of a file sent with transferTo. */
sealed interface OutboundPart permits OutboundPart.Bytes, OutboundPart.FileRegion {

    /** Bytes to write (the buffer's position advances as they are written; the array is not copied). */
    record Bytes(ByteBuffer buffer) implements OutboundPart {
        static Bytes of(byte[] b) {
            return new Bytes(ByteBuffer.wrap(b));
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
