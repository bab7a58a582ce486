package dev.uhttp.workers.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The frame codec both sides use: a 4-byte big-endian payload length, then the payload, a MessagePack
 * array {@code [type, fields...]}. Bodies are MessagePack {@code bin}, always a message's last element:
 * a large body is sent as its own part of the frame ({@link #encodeParts}) and received straight into
 * its own array ({@link FrameDecoder}), so it is not copied into a frame nor out of one.
 *
 * <p>Thread-safe: it holds only the frame limit.
 */
public final class FrameCodec {
    /** Default largest payload accepted: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME = 64 << 20;

    static final int T_INIT = 1, T_REQUEST = 2, T_CONFIG = 3, T_STOP = 4, T_CLIENT_GONE = 5,
            T_STREAM_FLOW = 6, T_READY = 20, T_RESPONSE = 21, T_HEARTBEAT = 22, T_KEEP_ALIVE = 23,
            T_LOG = 24, T_PAUSE = 25, T_STREAM_START = 26, T_STREAM_CHUNK = 27, T_STREAM_END = 28,
            T_DEFERRED = 29, T_FORWARD = 30, T_FILE_RESPONSE = 32, T_DUMP_STACKS = 9, T_STACKS = 33,
            T_SLOW_REQUEST = 36;
    /** Streamed request bodies (issue 15). */
    static final int T_STREAMED_REQUEST = 7, T_BODY_CHUNK = 8, T_BODY_END = 10, T_BODY_CREDIT = 31;
    /** Large complete responses sent in pieces (issue 15). */
    static final int T_RESPONSE_CREDIT = 11, T_RESPONSE_START = 34;

    private final int maxFrameBytes;

    public FrameCodec(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Bodies of this many bytes or more are their own part in {@link #encodeParts} (not copied). */
    public static final int SEPARATE_BODY_BYTES = 32 * 1024;

    public FrameCodec() {
        this(DEFAULT_MAX_FRAME);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Encodes {@code message} as one frame (length prefix included), ready to write.
     *
     * @throws IpcProtocolException when the payload would exceed the frame limit
     */
    public ByteBuffer encode(Message message) throws IpcProtocolException {
        FrameOutput out = packed(message);
        return ByteBuffer.wrap(java.util.Arrays.copyOf(out.array(), out.size()));
    }

    /**
     * Packs {@code message} into this thread's reused buffer, length prefix set: valid until the
     * thread's next call (the caller copies or writes it before packing anything else).
     */
    FrameOutput packed(Message message) throws IpcProtocolException {
        FrameOutput out = FrameOutput.ofThisThread();
        try {
            MessagePacking.pack(out, null, message);
        } catch (IOException e) {
            throw new IpcProtocolException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        return finished(out);
    }

    /** Like {@link #packed(Message)}, for the {@link Message.Request} of these fields, without the record. */
    FrameOutput packedRequest(long id, String method, String path, String query, String[] headers, byte[] body,
                              String remoteHost, int remotePort, boolean secure, Object context,
                              CharSequence requestId) throws IpcProtocolException {
        FrameOutput out = FrameOutput.ofThisThread();
        try {
            out.packArrayHeader(12).packInt(T_REQUEST);
            MessagePacking.request(out, null, id, method, path, query, headers, body, remoteHost, remotePort, secure,
                    context, requestId);
        } catch (IOException e) {
            throw new IpcProtocolException("cannot encode Request", e);
        }
        return finished(out);
    }

    private FrameOutput finished(FrameOutput out) throws Oversized {
        int payload = out.size() - 4;
        if (payload > maxFrameBytes) {
            throw new Oversized(payload, maxFrameBytes);
        }
        out.finish();
        return out;
    }

    /**
     * Encodes {@code message} as one frame in parts, ready for a gathering write: a body of
     * {@value #SEPARATE_BODY_BYTES} bytes or more is its own part (the message's array, not a copy), so
     * large bodies are not copied into the frame. The parts, written in order, are the bytes of
     * {@link #encode}.
     *
     * @throws IpcProtocolException when the payload would exceed the frame limit
     */
    public ByteBuffer[] encodeParts(Message message) throws IpcProtocolException {
        byte[] body = bodyOf(message);
        if (body == null || body.length < SEPARATE_BODY_BYTES) {
            return new ByteBuffer[] {encode(message)};
        }
        FrameOutput out = new FrameOutput(MessagePacking.initialSize(message) - body.length);
        out.separateBodies = true;
        try {
            MessagePacking.pack(out, out, message);
        } catch (IOException e) {
            throw new IpcProtocolException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        long payload = out.size() - 4L + out.separateBytes;
        if (payload > maxFrameBytes) {
            throw new Oversized(payload, maxFrameBytes);
        }
        return out.toParts();
    }

    /** The body a message carries, or null. */
    static byte[] bodyOf(Message m) {
        return m instanceof Message.HasBody b ? b.body() : null;
    }

    /** Encodes and writes {@code message} to a blocking stream (does not flush). */
    public void write(Message message, OutputStream out) throws IOException {
        FrameOutput frame = packed(message);
        out.write(frame.array(), 0, frame.size());
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Reads one frame from a blocking stream.
     *
     * @return the message, or null at a clean end of stream (between frames)
     * @throws IpcProtocolException for an oversized, truncated or undecodable frame
     */
    public Message read(InputStream in) throws IOException {
        return new FrameDecoder(this).read(in);
    }

    void checkLength(int length) throws IpcProtocolException {
        if (length < 0 || length > maxFrameBytes) {
            throw new IpcProtocolException("frame of " + Integer.toUnsignedString(length)
                    + " bytes exceeds the limit of " + maxFrameBytes);
        }
        if (length == 0) {
            throw new IpcProtocolException("empty frame");
        }
    }

    /**
     * Decodes one payload (without its length prefix).
     *
     * @throws IpcProtocolException when it is not a well-formed message
     */
    public Message decode(byte[] payload, int offset, int length) throws IpcProtocolException {
        return decode(payload, offset, length, length, null);
    }

    /** {@link MessageReading#readResponse}: a {@code Response} payload read into {@code into} in place. */
    boolean readResponse(byte[] payload, int offset, int length, ResponseView into) {
        return MessageReading.readResponse(payload, offset, length, into);
    }

    /** {@link #bodyPosition}: the head does not reach the body's header yet. */
    static final long NEED_MORE = -1;
    /** {@link #bodyPosition}: the message carries no body as its last element. */
    static final long NO_BODY = -2;

    /**
     * Where the body of a frame starts, from the first {@code headLength} bytes of its payload: a body
     * (of Request, Response, StreamChunk) is always the message's last element, so a large frame can
     * be received as its head and then its body read straight into an array of its own
     * ({@link #decodeWithBody}), instead of into the payload and then copied out of it.
     *
     * @return {@code bodyStart << 32 | bodyLength}, or {@link #NEED_MORE}, or {@link #NO_BODY} (also
     *     for a malformed head: the whole payload's decoding then reports it)
     */
    long bodyPosition(byte[] head, int headLength) {
        return MessageReading.bodyPosition(head, headLength);
    }

    /**
     * Decodes a frame received as its head (everything before the body, {@code headLength} bytes as
     * {@link #bodyPosition} found) and its body.
     *
     * @throws IpcProtocolException when it is not a well-formed message
     */
    Message decodeWithBody(byte[] head, int headLength, int frameLength, byte[] body) throws IpcProtocolException {
        return decode(head, 0, headLength, frameLength, body);
    }

    private Message decode(byte[] payload, int offset, int length, int frameLength, byte[] body)
            throws IpcProtocolException {
        return MessageReading.decode(payload, offset, length, frameLength, body);
    }

    /** The frame of a message to send would exceed the limit (not a broken channel: the message is refused). */
    static final class Oversized extends IpcProtocolException {
        private static final long serialVersionUID = 1L;

        Oversized(long payload, int limit) {
            super("frame of " + payload + " bytes exceeds the limit of " + limit);
        }
    }
}
