package dev.uhttp.workers.ipc;

import java.util.Arrays;

/**
 * A worker's complete answer (a {@link Message.Response} frame) read in place from a channel's receive
 * buffer, given to {@link IpcChannel.Listener#onResponse} where the provider decodes on the listener's
 * thread: no message record, header array or body copy per answer. Its header array and body bytes are
 * the decoder's and the receive buffer's, so it is valid only during that call: a listener copies what
 * it keeps ({@link #toMessage}); any use after the call throws {@link IllegalStateException}.
 */
public final class ResponseView {
    private static final String[] NO_STRINGS = new String[0];

    private boolean valid;
    private long id;
    private int status;
    private String[] headers = NO_STRINGS;
    /** The header array of the last answer with fields, reused while answers have as many. */
    private String[] spare = NO_STRINGS;
    private byte[] frame;
    private int bodyOffset;
    private int bodyLength;

    ResponseView() {
    }

    /** The request it answers. */
    public long id() {
        check();
        return id;
    }

    /** The HTTP status. */
    public int status() {
        check();
        return status;
    }

    /** The header fields, flat ({@code [name, value, ...]}); the array is reused by the next answer. */
    public String[] headers() {
        check();
        return headers;
    }

    /** The array holding the body, from {@link #bodyOffset()} for {@link #bodyLength()} bytes (not the caller's). */
    public byte[] bodyArray() {
        check();
        return frame;
    }

    /** Where the body starts in {@link #bodyArray()}. */
    public int bodyOffset() {
        check();
        return bodyOffset;
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        check();
        return bodyLength;
    }

    /** The answer as a message of its own, copied out of the receive buffer (valid after the call). */
    public Message.Response toMessage() {
        check();
        return new Message.Response(id, status, headers.length == 0 ? NO_STRINGS : headers.clone(),
                Arrays.copyOfRange(frame, bodyOffset, bodyOffset + bodyLength));
    }

    private void check() {
        if (!valid) {
            throw new IllegalStateException("a ResponseView is valid only during the onResponse call that got it");
        }
    }

    // ---- the decoder's side

    void start(long id, int status) {
        this.id = id;
        this.status = status;
    }

    /** An array for {@code n} header strings, which become this answer's: the last one when its size fits. */
    String[] headerArray(int n) {
        if (n == 0) {
            headers = NO_STRINGS;
        } else if (spare.length == n) {
            headers = spare;
        } else {
            headers = spare = new String[n];
        }
        return headers;
    }

    void body(byte[] frame, int offset, int length) {
        this.frame = frame;
        this.bodyOffset = offset;
        this.bodyLength = length;
    }

    /** Read in full: valid until {@link #end}. */
    void begin() {
        valid = true;
    }

    /** The listener's call returned: the receive buffer is not referenced any more. */
    void end() {
        valid = false;
        frame = null;
    }
}
