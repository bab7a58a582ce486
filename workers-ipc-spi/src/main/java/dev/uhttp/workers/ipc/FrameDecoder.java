package dev.uhttp.workers.ipc;

import java.nio.ByteBuffer;
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

    private final FrameCodec codec;
    private final byte[] prefix = new byte[4];
    private int prefixFill;
    /** The payload being collected, or null between frames. */
    private byte[] payload;
    private int payloadFill;

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
        while (src.hasRemaining()) {
            if (payload == null) {
                if (prefixFill == 0 && src.remaining() >= 4) {
                    int length = src.getInt(src.position());
                    codec.checkLength(length);
                    if (src.hasArray() && src.remaining() - 4 >= length) {
                        // The whole frame is in the read buffer: decode in place, no copy.
                        int start = src.arrayOffset() + src.position() + 4;
                        src.position(src.position() + 4 + length);
                        sink.accept(codec.decode(src.array(), start, length));
                        continue;
                    }
                    src.position(src.position() + 4);
                    startPayload(length);
                } else {
                    while (prefixFill < 4 && src.hasRemaining()) {
                        prefix[prefixFill++] = src.get();
                    }
                    if (prefixFill < 4) {
                        return;
                    }
                    prefixFill = 0;
                    int length = ((prefix[0] & 0xff) << 24) | ((prefix[1] & 0xff) << 16)
                            | ((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff);
                    codec.checkLength(length);
                    startPayload(length);
                }
            }
            int n = Math.min(src.remaining(), payload.length - payloadFill);
            src.get(payload, payloadFill, n);
            payloadFill += n;
            if (payloadFill == payload.length) {
                byte[] complete = payload;
                payload = null;
                sink.accept(codec.decode(complete, 0, complete.length));
            }
        }
    }

    private void startPayload(int length) {
        payload = new byte[length];
        payloadFill = 0;
    }

    /** Whether part of a frame has been received and the rest is still missing. */
    public boolean inFrame() {
        return prefixFill > 0 || payload != null;
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
        if (payload != null) {
            throw new IpcProtocolException("truncated frame: stream ended after " + payloadFill + " of "
                    + payload.length + " payload bytes");
        }
    }
}
