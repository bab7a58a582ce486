package dev.uhttp.workers.dispatcher.http;

/**
 * A request body handed to the handler while it still arrives ({@link HttpExchange#streamedBody()}),
 * in pieces of at most 64 KiB. Loop thread only.
 *
 * <p><b>Back-pressure.</b> The engine holds at most about {@link #HOLD_BYTES} of pieces the consumer
 * has not taken; beyond, it stops reading the client's socket, so the client's TCP window closes, and
 * it reads again once the consumer has taken them down to half. A consumer that takes pieces only as
 * fast as it can pass them on (to a worker, as its credit allows) slows the client to its own pace.
 */
public interface StreamedBody {
    /** Pieces not taken beyond which the engine stops reading the client. */
    long HOLD_BYTES = 256 * 1024;

    /** The announced length ({@code Content-Length}), or {@code -1} for a chunked body. */
    long length();

    /**
     * The next piece received and not taken yet, or null when none waits. A piece of
     * {@link dev.uhttp.workers.ipc.PiecePool#PIECE_BYTES} bytes is a pool array, the taker's now: it gives
     * it back when done with it ({@link dev.uhttp.workers.ipc.IpcChannel#sendPiece} does), or leaves it to the GC.
     */
    byte[] poll();

    /** Whether the whole body was received and every piece taken. */
    boolean isComplete();

    /** Bytes received and not taken yet. */
    long queuedBytes();

    /**
     * Runs {@code callback} (on the loop thread) whenever a piece arrives and when the body completes;
     * replaces an earlier callback.
     */
    void onAvailable(Runnable callback);

    /**
     * The consumer is about to read the body: a client that waits for {@code 100 Continue} is told to
     * send it now. Until then the client gets no {@code 100}, so an answer given first (a refusal) is the
     * only status it sees and it never sends the body (RFC 9110 §10.1.1; the connection then closes after
     * the answer). Calls after the first do nothing.
     */
    void wanted();
}
