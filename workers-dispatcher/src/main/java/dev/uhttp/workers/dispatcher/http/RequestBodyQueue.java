package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.PiecePool;
import java.util.ArrayDeque;

/**
 * The engine's side of a {@link StreamedBody}: pieces from the parser wait here until the consumer
 * takes them; over {@link StreamedBody#HOLD_BYTES} the connection stops reading the client, at half of
 * it reading resumes. Once the exchange is answered before its body was received, pieces are dropped
 * as they come (nobody will take them; the connection closes after the answer).
 */
final class RequestBodyQueue implements StreamedBody, BodySink {
    private final HttpConnection conn;
    private final long length;
    private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
    private long queued;
    private boolean received;
    private boolean discarding;
    private boolean held;
    private Runnable callback;
    /** The exchange whose client waits for {@code 100 Continue} until the body is {@link #wanted}, or null. */
    private Http1Exchange awaitingContinue;

    RequestBodyQueue(HttpConnection conn, long length) {
        this.conn = conn;
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public byte[] poll() {
        byte[] p = pieces.pollFirst();
        if (p != null) {
            queued -= p.length;
            conn.bodyQueued(-p.length);
            maybeRelease();
        }
        return p;
    }

    @Override
    public boolean isComplete() {
        return received && pieces.isEmpty();
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    @Override
    public void onAvailable(Runnable cb) {
        this.callback = cb;
    }

    @Override
    public void wanted() {
        Http1Exchange ex = awaitingContinue;
        if (ex != null) {
            awaitingContinue = null;
            ex.sendContinue(); // nothing once answered
            conn.updateTimeout(); // now the client is waited for: the request timeout starts
        }
    }

    /** Whether the client waits for {@code 100 Continue} (so the connection waits for the consumer, not it). */
    boolean awaitingContinue() {
        return awaitingContinue != null;
    }

    /** {@code ex}'s client sent {@code Expect: 100-continue}: the {@code 100} goes when the body is wanted. */
    void continueWhenWanted(Http1Exchange ex) {
        awaitingContinue = ex;
    }

    /** Whether every byte of the body has been received (taken or not). */
    boolean received() {
        return received;
    }

    // ---- from the parser

    @Override
    public void piece(byte[] data) {
        if (discarding) {
            PiecePool.shared().release(data); // nobody takes it
            return;
        }
        awaitingContinue = null; // the client sent the body without waiting: no 100 needed (RFC 9110 §10.1.1)
        pieces.addLast(data);
        queued += data.length;
        conn.bodyQueued(data.length);
        if (!held && queued >= HOLD_BYTES) {
            held = true;
            conn.holdBody(true);
        }
        notifyConsumer();
    }

    @Override
    public void complete() {
        received = true;
        notifyConsumer();
    }

    private void notifyConsumer() {
        if (callback != null) {
            conn.runCallback(callback);
        }
    }

    // ---- from the exchange

    /** Nobody takes pieces any more (answered, or the connection closed): drop them, read freely. */
    void discard() {
        discarding = true;
        awaitingContinue = null;
        pieces.forEach(PiecePool.shared()::release);
        pieces.clear();
        conn.bodyQueued(-queued);
        queued = 0;
        callback = null;
        maybeRelease();
    }

    private void maybeRelease() {
        if (held && queued <= HOLD_BYTES / 2) {
            held = false;
            conn.holdBody(false);
        }
    }
}
