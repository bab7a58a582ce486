package dev.uhttp.workers.dispatcher.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A body of announced length ({@code Content-Length}) being received: collected whole into one array,
 * or, when it streams, cut into pieces by a {@link BodyCollector}.
 *
 * <p>A whole body's array is not allocated at the announced size: it starts at
 * {@link RequestParser#INITIAL_BODY_BUFFER} at most and grows fourfold as bytes actually arrive (never
 * past the announced length), so a client that announces a large body and sends nothing holds little
 * memory, and the body ends up in one array of exactly its size.
 */
final class LengthBody {
    private final long length;
    private byte[] body;
    private long received;
    private BodyCollector collector;

    /** @param streamed whether the body streams (connect it with {@link #streamTo}) */
    LengthBody(long length, boolean streamed) {
        this.length = length;
        if (!streamed) {
            body = new byte[(int) Math.min(length, RequestParser.INITIAL_BODY_BUFFER)];
        }
    }

    void streamTo(BodyCollector c) {
        this.collector = c;
    }

    /** The free part of the buffer the next bytes go into, for the socket to be read into directly. */
    ByteBuffer target() {
        if (collector != null) {
            return collector.target(length - received);
        }
        growIfFull();
        return ByteBuffer.wrap(body, (int) received, body.length - (int) received);
    }

    /** {@code n} bytes were read into {@link #target()}; true when the body is complete. */
    boolean read(int n) {
        received += n;
        if (collector != null) {
            collector.advance(n);
        }
        return completeIfWhole();
    }

    /** Takes the body's bytes from {@code buf}; true when the body is complete. */
    boolean consume(ByteBuffer buf) {
        int n = (int) Math.min(buf.remaining(), length - received);
        if (collector != null) {
            collector.write(buf.array(), buf.arrayOffset() + buf.position(), n);
            buf.position(buf.position() + n);
        } else {
            growIfFull();
            n = Math.min(n, body.length - (int) received);
            buf.get(body, (int) received, n);
        }
        received += n;
        return completeIfWhole();
    }

    private boolean completeIfWhole() {
        if (received < length) {
            return false;
        }
        if (collector != null) {
            collector.finish();
        }
        return true;
    }

    /**
     * Bytes arrived for a full buffer: grow it fourfold, never past the announced length (within four
     * times what was sent; a large body is copied about a third of its size while growing).
     */
    private void growIfFull() {
        if (received == body.length) {
            body = Arrays.copyOf(body, (int) Math.min(length, body.length * 4L));
        }
    }

    /** Bytes of buffer held. */
    int capacity() {
        return collector != null ? collector.capacity() : body == null ? 0 : body.length;
    }

    /** The whole body (not for a streamed one). */
    byte[] take() {
        return body;
    }
}
