package dev.uhttp.workers.ipc;

import java.io.IOException;

/**
 * One side of the link between the dispatcher and one worker. Lives on an {@link EventLoop}: after
 * {@link #start}, every method but {@link #close} must be called on that loop's thread, and the
 * listener is called there. Sending never blocks: frames are queued and written as the peer reads.
 * Providers extend {@link AbstractIpcChannel}, which implements this contract's shared parts.
 */
public interface IpcChannel {

    /** Begins receiving; before this, nothing is delivered (sends may already be queued). */
    void start(EventLoop loop, Listener listener) throws IOException;

    /**
     * Queues {@code message} to be written; after the channel closed, it is dropped silently.
     *
     * <p>A message that cannot be encoded is the sender's problem, not the link's: {@code send} throws,
     * nothing is queued and the channel stays open, so the caller can answer differently (the worker
     * runtime answers a response over the frame limit with a 500).
     *
     * @throws IllegalArgumentException when {@code message} cannot be encoded: its frame would exceed the
     *                                  codec's limit ({@link FrameCodec#maxFrameBytes()}; the cause is then
     *                                  an {@link IpcProtocolException}), or it holds a value the codec
     *                                  cannot send
     */
    void send(Message message);

    /**
     * {@link #send} for a message whose body array is a {@link PiecePool} piece of
     * {@value PiecePool#PIECE_BYTES} bytes: the channel owns the array now, writes it without a copy and
     * gives it back to the pool once the frame is written or dropped; the caller must not touch it
     * afterwards. This default sends it and leaves the array to the GC.
     *
     * @throws IllegalArgumentException as {@link #send} (the array is then still the caller's)
     */
    default void sendPiece(Message.HasBody message) {
        send(message);
    }

    /**
     * Queues the {@link Message.Request} with these fields, as {@link #send} does: the same frame. A
     * provider may pack it straight from the fields (the dispatcher's path for every client request:
     * no record, and the request id may be a reused builder, read before this returns).
     *
     * @throws IllegalArgumentException as {@link #send}
     */
    default void sendRequest(long id, String method, String path, String query, String[] headers, byte[] body,
                             String remoteHost, int remotePort, boolean secure, Object context,
                             CharSequence requestId) {
        send(new Message.Request(id, method, path, query, headers, body, remoteHost, remotePort, secure, context,
                requestId.toString()));
    }

    /** Bytes queued and not yet written: the back-pressure signal. */
    long pendingBytes();

    /** Whether the channel is open (not closed by either side, no protocol error). */
    boolean isOpen();

    /** Closes the channel; the listener's {@code onClosed} is called once (on the loop thread). */
    void close();

    /** Receives what arrives on a channel, on the loop thread. */
    interface Listener {
        /** One decoded message. */
        void onMessage(Message message);

        /**
         * A worker's complete answer read in place by a provider that decodes on the listener's thread
         * (valid during this call only); the default copies it into a {@link Message.Response} for
         * {@link #onMessage}.
         */
        default void onResponse(ResponseView response) {
            onMessage(response.toMessage());
        }

        /** Frames queued by {@link #send} have all been written (called after a backlog drains). */
        default void onDrained() {
        }

        /** The channel closed: {@code cause} is null for a clean end, else what went wrong. */
        void onClosed(IOException cause);
    }
}
