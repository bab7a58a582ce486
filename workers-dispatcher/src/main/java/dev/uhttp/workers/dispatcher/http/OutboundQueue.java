package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.PiecePool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The output of one exchange waiting for the socket: byte buffers written with gathering writes,
 * file regions with {@code transferTo}, in order. Counts the buffered bytes on its connection.
 */
final class OutboundQueue {
    private final HttpConnection conn;
    private final ArrayDeque<OutboundPart> parts = new ArrayDeque<>(4);
    /** The most parts it held at once: its deque's array grew to that and never shrinks. */
    private int peakParts;

    OutboundQueue(HttpConnection conn) {
        this.conn = conn;
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    int peakParts() {
        return peakParts;
    }

    void add(OutboundPart part) {
        parts.addLast(part);
        peakParts = Math.max(peakParts, parts.size());
        if (part instanceof OutboundPart.Bytes b) {
            conn.addPending(b.buffer().remaining());
        }
    }

    /**
     * Writes what the transport takes.
     *
     * @return true when the queue is empty and the transport flushed, false when the socket took no more
     */
    boolean writeOut(Transport t, ByteBuffer[] gather) throws IOException {
        ArrayDeque<OutboundPart> q = parts;
        while (!q.isEmpty()) {
            if (q.peekFirst() instanceof OutboundPart.FileRegion r) {
                long n = t.transferFile(r.channel, r.position, r.remaining);
                if (n > 0) {
                    r.position += n;
                    r.remaining -= n;
                    conn.fileWritten(n);
                }
                if (r.remaining == 0) {
                    q.pollFirst();
                    r.close();
                    continue;
                }
                if (n == 0) {
                    if (r.channel.size() < r.position + r.remaining) {
                        throw new IOException("file shrank while being sent");
                    }
                    return false;
                }
                continue;
            }
            int n = 0;
            for (OutboundPart o : q) {
                if (!(o instanceof OutboundPart.Bytes b) || n == gather.length) {
                    break;
                }
                gather[n++] = b.buffer();
            }
            long w;
            try {
                w = t.write(gather, 0, n);
            } finally {
                Arrays.fill(gather, 0, n, null);
            }
            if (w > 0) {
                conn.written(w);
            }
            while (q.peekFirst() instanceof OutboundPart.Bytes b && !b.buffer().hasRemaining()) {
                done(b);
                q.pollFirst();
            }
            if (q.peekFirst() instanceof OutboundPart.Bytes) {
                return false;
            }
        }
        return !t.hasPendingOutput() || t.flush();
    }

    /** A part written in full or dropped: its reused or pooled buffer is free again. */
    private void done(OutboundPart.Bytes b) {
        conn.reused.release(b);
        if (b.pooled()) {
            PiecePool.shared().release(b.buffer().array());
        }
    }

    /** Drops what is queued (closing files); returns the buffered bytes dropped. */
    long discard() {
        long n = 0;
        for (OutboundPart o : parts) {
            if (o instanceof OutboundPart.Bytes b) {
                n += b.buffer().remaining();
                done(b);
            } else if (o instanceof OutboundPart.FileRegion r) {
                r.close();
            }
        }
        parts.clear();
        return n;
    }
}
