package dev.uhttp.workers.ipc;

import java.io.IOException;

/**
 * One side of the link between the dispatcher and one worker. Lives on an {@link EventLoop}: after
 * {@link #start}, every method but {@link #close} must be called on that loop's thread, and the
 * listener is called there. Sending never blocks: frames are queued and written as the peer reads.
 */
public interface IpcChannel {

    /** Begins receiving; before this, nothing is delivered (sends may already be queued). */
    void start(EventLoop loop, Listener listener) throws IOException;

    /** Queues {@code message} to be written; a message that cannot be encoded closes the channel. */
    void send(Message message);

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

        /** Frames queued by {@link #send} have all been written (called after a backlog drains). */
        default void onDrained() {
        }

        /** The channel closed: {@code cause} is null for a clean end, else what went wrong. */
        void onClosed(IOException cause);
    }
}
