package dev.uhttp.workers.dispatcher.http;

import java.nio.ByteBuffer;

/**
 * What a connection's exchanges reuse for their output instead of allocating per response: a buffer
 * for a small complete answer (head and body together, one queue part) and an emptied output queue.
 * The answer buffer is owned by the one queued part that holds it, from {@link #take} until that part
 * is written in full or dropped ({@link #release}); while it is taken, an answer falls back to arrays
 * of its own (pipelined answers queued behind one the socket has not taken yet). A queue is taken by
 * one exchange at a time ({@link #takeQueue}). Loop thread only.
 */
final class ReusedOutput {
    /** Answers up to this size (head and body) use the buffer. */
    static final int ANSWER_BYTES = 1024;
    /**
     * A finished queue is kept for the next exchange only if it never held more parts than this: one
     * that grew (a long streamed answer queued behind a slow reader) would keep its grown array for
     * the connection's life.
     */
    static final int SPARE_QUEUE_PARTS = 16;

    private byte[] array;
    private OutboundPart.Bytes part;
    private boolean taken;
    private OutboundQueue spareQueue;

    /** The array to encode {@code size} bytes into, taken until its part is released; null when taken or too small. */
    byte[] take(int size) {
        if (taken || size > ANSWER_BYTES) {
            return null;
        }
        if (array == null) {
            array = new byte[ANSWER_BYTES];
            part = new OutboundPart.Bytes(ByteBuffer.wrap(array));
        }
        taken = true;
        return array;
    }

    /** The part to queue for the {@code size} bytes encoded into the taken array. */
    OutboundPart.Bytes part(int size) {
        part.buffer().clear().limit(size);
        return part;
    }

    /** Called for each part written in full or dropped: frees the buffer when it is this one's. */
    void release(OutboundPart done) {
        if (done == part) {
            if (!taken) {
                throw new IllegalStateException("answer buffer released twice");
            }
            taken = false;
        }
    }

    /** Whether the answer buffer is held by a queued part. */
    boolean taken() {
        return taken;
    }

    /** An empty output queue for an exchange of {@code conn}: the spare one, taken (never shared), or a new one. */
    OutboundQueue takeQueue(HttpConnection conn) {
        OutboundQueue q = spareQueue;
        spareQueue = null;
        return q != null ? q : new OutboundQueue(conn);
    }

    /**
     * Keeps an exchange's finished queue (no longer referenced by it) for the next, when empty and never
     * grown past {@link #SPARE_QUEUE_PARTS}; null is ignored.
     */
    void reuseQueue(OutboundQueue q) {
        if (q != null && q.isEmpty() && q.peakParts() <= SPARE_QUEUE_PARTS) {
            spareQueue = q;
        }
    }
}
