package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.dispatcher.http.StreamedBody;
import dev.uhttp.workers.ipc.Message;

/**
 * Moves the streamed body of one request to the worker that holds it, under credit-based flow control:
 * the worker may have at most {@link #WINDOW} bytes sent and not yet consumed by its handler; each
 * {@code BodyCredit} it sends (one per piece its handler read) lets as many more go; its first says the
 * body is wanted ({@link StreamedBody#wanted}: the client's {@code 100 Continue} goes then). Pieces the credit
 * does not cover stay with the engine, which stops reading the client once it holds
 * {@link StreamedBody#HOLD_BYTES}: a slow handler slows the client's upload, and the dispatcher holds
 * at most about {@code WINDOW + HOLD_BYTES} per upload. Loop thread only.
 */
final class BodyPump {
    /** Bytes sent ahead of what the worker's handler has consumed. */
    static final long WINDOW = 1024 * 1024;

    private final Pending pending;
    private final StreamedBody body;
    private final WorkerSlot slot;
    private final Runnable complete;
    private long credit = WINDOW;
    private long sent;
    private boolean ended;

    /** @param complete runs once when the whole body has been sent (the pool's timeout starts then) */
    BodyPump(Pending pending, StreamedBody body, WorkerSlot slot, Runnable complete) {
        this.pending = pending;
        this.body = body;
        this.slot = slot;
        this.complete = complete;
    }

    void start() {
        body.onAvailable(this::pump);
        pump();
    }

    /**
     * The worker's handler consumed {@code bytes}; its first credit (0 bytes when it starts reading, or
     * starts collecting the body) lets a client waiting for {@code 100 Continue} send the body.
     */
    void credit(long bytes) {
        body.wanted();
        credit += bytes;
        pump();
    }

    /** Body bytes sent to the worker so far. */
    long sent() {
        return sent;
    }

    /** Whether every piece has been sent and the end told. */
    boolean ended() {
        return ended;
    }

    /** Sends what the credit allows, then the end once the body is complete. */
    void pump() {
        if (ended || pending.done || pending.slot != slot || !slot.isConnected()) {
            return;
        }
        byte[] piece;
        while (credit > 0 && (piece = body.poll()) != null) {
            credit -= piece.length;
            sent += piece.length;
            slot.channel.sendPiece(new Message.BodyChunk(pending.id, piece)); // a pool array: the channel gives it back
        }
        if (body.isComplete()) {
            ended = true;
            slot.channel.send(new Message.BodyEnd(pending.id));
            complete.run();
        }
    }
}
