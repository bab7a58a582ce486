package dev.uhttp.workers.ipc;

/**
 * A message that {@link IpcChannel#send} cannot send because its frame would exceed the frame limit;
 * nothing was queued and the channel stays open. An {@link IllegalArgumentException}, as every message
 * that cannot be sent; the cause is the codec's {@link IpcProtocolException}, whose message says by how much.
 */
public class FrameTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FrameTooLargeException(String message, IpcProtocolException cause) {
        super(message, cause);
    }

    /** What the codec said: the frame's size and the limit. */
    public String reason() {
        return getCause().getMessage();
    }
}
