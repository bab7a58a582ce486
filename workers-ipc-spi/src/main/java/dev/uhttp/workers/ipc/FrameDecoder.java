package dev.uhttp.workers.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental frame decoder for non-blocking reads: feed it whatever bytes arrived, in pieces of any
 * size, and it hands out each complete {@link Message}. The frame format and size limit are those of
 * its {@link FrameCodec}; a length prefix over the limit is rejected before anything is allocated
 * for it.
 *
 * <p>Not thread-safe: one decoder per channel, used by the thread that reads it. After an
 * {@link IpcProtocolException} the stream cannot be resynchronised; the channel must be closed.
 */
public final class FrameDecoder {

    /**
     * Payloads this large are received as their head and then their body, straight into the body's
     * own array ({@link #payloadTarget()}), so the body is neither copied through the read buffer
     * nor copied out of the payload.
     */
    static final int SPLIT_BYTES = 64 * 1024;
    /** The first guess of a large frame's head (everything before its body); grown when short. */
    private static final int HEAD_BYTES = 1024;

    private final FrameCodec codec;
    private final byte[] prefix = new byte[4];
    private int prefixFill;
    /** Length of the frame being collected. */
    private int frameLength;
    /** The payload being collected (a small frame, or a large one without a body), or null. */
    private byte[] payload;
    private int payloadFill;
    /** A large frame's head, while it or its body is collected, or null. */
    private byte[] head;
    /** A head array of {@link #HEAD_BYTES} done with, for the next large frame (not one per body piece). */
    private byte[] spareHead;
    private int headFill;
    /** Where the body starts, once the head is known; the head's length. */
    private int bodyStart;
    /** A large frame's body, once its head is known, or null. */
    private byte[] body;
    private int bodyFill;
    /** The one view a whole {@code Response} frame in the read buffer is given through. */
    private final ResponseView view = new ResponseView();

    public FrameDecoder(FrameCodec codec) {
        this.codec = codec;
    }

    /**
     * Consumes every remaining byte of {@code src}, passing each completed message to {@code sink} in
     * order; a trailing partial frame is kept for the next call.
     *
     * @throws IpcProtocolException for an oversized, empty or undecodable frame
     */
    public void decode(ByteBuffer src, Consumer<? super Message> sink) throws IpcProtocolException {
        decode(src, sink, null);
    }

    /**
     * {@link #decode(ByteBuffer, Consumer)}, with each {@code Response} frame found whole in {@code src}
     * given to {@code responses} as a view over {@code src}'s array (valid during that call only), not
     * decoded into a message; one split across calls still reaches {@code sink} as a message.
     *
     * @param responses null: every frame reaches {@code sink}
     */
    public void decode(ByteBuffer src, Consumer<? super Message> sink, Consumer<ResponseView> responses)
            throws IpcProtocolException {
        while (src.hasRemaining()) {
            if (!inFrame() && src.remaining() >= 4) {
                int length = src.getInt(src.position());
                codec.checkLength(length);
                if (src.hasArray() && src.remaining() - 4 >= length) {
                    // The whole frame is in the read buffer: decode in place, no copy.
                    int start = src.arrayOffset() + src.position() + 4;
                    src.position(src.position() + 4 + length);
                    if (responses != null && codec.readResponse(src.array(), start, length, view)) {
                        view.begin();
                        try {
                            responses.accept(view);
                        } finally {
                            view.end();
                        }
                    } else {
                        sink.accept(codec.decode(src.array(), start, length));
                    }
                    continue;
                }
                src.position(src.position() + 4);
                startFrame(length);
            }
            ByteBuffer part = missingPart();
            int n = Math.min(src.remaining(), part.remaining());
            src.get(part.array(), part.position(), n);
            received(n, sink);
        }
    }

    /**
     * The missing bytes of the part of the frame being collected (its prefix, a large frame's head or
     * body, or a small frame's payload), as a buffer over the array they go into; fill it, then
     * report the bytes with {@link #received}.
     */
    private ByteBuffer missingPart() {
        if (!inPayload()) {
            return ByteBuffer.wrap(prefix, prefixFill, 4 - prefixFill);
        } else if (body != null) {
            return ByteBuffer.wrap(body, bodyFill, body.length - bodyFill);
        } else if (head != null) {
            return ByteBuffer.wrap(head, headFill, head.length - headFill);
        }
        return ByteBuffer.wrap(payload, payloadFill, payload.length - payloadFill);
    }

    /** Counts {@code n} bytes written into {@link #missingPart()}; a completed message goes to {@code sink}. */
    private void received(int n, Consumer<? super Message> sink) throws IpcProtocolException {
        if (!inPayload()) {
            prefixFill += n;
            if (prefixFill == 4) {
                prefixComplete();
            }
        } else if (body == null && head != null) {
            headFill += n;
            headReceived(sink);
        } else {
            payloadRead(n, sink);
        }
    }

    /**
     * While the body of a large frame ({@value #SPLIT_BYTES} bytes or more) is being collected: its
     * missing part, for the channel to read into directly instead of copying it through its read
     * buffer (one copy fewer, fewer reads); null otherwise. The buffer ends with the frame, so a read
     * into it takes in nothing of the next frame. Report what was read with
     * {@link #payloadRead(int, Consumer)}.
     */
    public ByteBuffer payloadTarget() {
        return body == null ? null : missingPart();
    }

    /**
     * Counts {@code n} bytes received into the frame's body or payload ({@link #payloadTarget()});
     * passes the message to {@code sink} when the frame is complete.
     *
     * @throws IpcProtocolException for an undecodable frame
     */
    public void payloadRead(int n, Consumer<? super Message> sink) throws IpcProtocolException {
        if (body != null) {
            bodyFill += n;
            if (bodyFill == body.length) {
                byte[] h = head;
                byte[] b = body;
                head = null;
                body = null;
                Message m = codec.decodeWithBody(h, bodyStart, frameLength, b);
                if (h.length == HEAD_BYTES) {
                    spareHead = h; // decoded: the message holds nothing of it
                }
                sink.accept(m);
            }
            return;
        }
        payloadFill += n;
        if (payloadFill == payload.length) {
            byte[] complete = payload;
            payload = null;
            sink.accept(codec.decode(complete, 0, complete.length));
        }
    }

    /** The most bytes asked of a blocking stream at once (a pipe holds 64 KiB). */
    private static final int STREAM_READ_BYTES = 64 * 1024;

    /**
     * Reads one frame from a blocking stream, never past its end, with a large body read straight
     * into its own array.
     *
     * @return the message, or null at a clean end of stream (between frames)
     * @throws IpcProtocolException for an oversized, truncated or undecodable frame
     */
    public Message read(InputStream in) throws IOException {
        Message[] got = new Message[1];
        Consumer<Message> sink = m -> got[0] = m;
        while (got[0] == null) {
            ByteBuffer part = missingPart();
            int n = in.read(part.array(), part.position(), Math.min(part.remaining(), STREAM_READ_BYTES));
            if (n < 0) {
                if (!inFrame()) {
                    return null;
                }
                endOfStream(); // throws: the stream ended inside a frame
            }
            received(n, sink);
        }
        return got[0];
    }

    private void prefixComplete() throws IpcProtocolException {
        prefixFill = 0;
        int length = ((prefix[0] & 0xff) << 24) | ((prefix[1] & 0xff) << 16)
                | ((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff);
        codec.checkLength(length);
        startFrame(length);
    }

    private void startFrame(int length) {
        frameLength = length;
        if (length >= SPLIT_BYTES) {
            // Exactly this size: a read into the head must not take bytes of the next frame.
            head = spareHead != null ? spareHead : new byte[HEAD_BYTES]; // SPLIT_BYTES > HEAD_BYTES
            spareHead = null;
            headFill = 0;
        } else {
            payload = new byte[length];
            payloadFill = 0;
        }
    }

    /**
     * Once the head buffer is full, looks for the body's start in it: then collects the body on its
     * own. Parsed only when full, and grown fourfold, so a head is parsed a few times at most.
     */
    private void headReceived(Consumer<? super Message> sink) throws IpcProtocolException {
        if (headFill < head.length) {
            return;
        }
        long at = codec.bodyPosition(head, headFill);
        if (at == FrameCodec.NEED_MORE && headFill < frameLength) {
            head = Arrays.copyOf(head, (int) Math.min(frameLength, head.length * 4L));
            return;
        }
        int start = (int) (at >>> 32);
        long length = at & 0xffffffffL;
        if (at < 0 || start + length != frameLength) {
            // No body last (or a malformed head): collect the whole payload, decoded as usual.
            payload = head.length == frameLength ? head : Arrays.copyOf(head, frameLength);
            payloadFill = headFill;
            head = null;
            payloadRead(0, sink);
            return;
        }
        bodyStart = start;
        body = length == PiecePool.PIECE_BYTES && isPiece(head) ? PiecePool.shared().acquire() : new byte[(int) length];
        bodyFill = headFill - start;
        System.arraycopy(head, start, body, 0, bodyFill);
        payloadRead(0, sink);
    }

    /**
     * Whether the frame whose head is {@code h} carries a piece of a large body ({@code BodyChunk},
     * {@code StreamChunk}; as {@link FrameOutput} packs them): its body array then comes from the
     * {@link PiecePool}, and its consumer gives it back.
     */
    private static boolean isPiece(byte[] h) {
        return (h[0] & 0xff) == 0x93 && (h[1] == FrameCodec.T_BODY_CHUNK || h[1] == FrameCodec.T_STREAM_CHUNK);
    }

    private boolean inPayload() {
        return payload != null || head != null;
    }

    /** Whether part of a frame has been received and the rest is still missing. */
    public boolean inFrame() {
        return prefixFill > 0 || inPayload();
    }

    /**
     * Called when the stream ended: fine between frames.
     *
     * @throws IpcProtocolException when the stream ended inside a frame
     */
    public void endOfStream() throws IpcProtocolException {
        if (prefixFill > 0) {
            throw new IpcProtocolException("truncated frame: stream ended inside the length prefix");
        }
        if (inPayload()) {
            int received = payload != null ? payloadFill : body != null ? bodyStart + bodyFill : headFill;
            throw new IpcProtocolException("truncated frame: stream ended after " + received + " of "
                    + frameLength + " payload bytes");
        }
    }
}
