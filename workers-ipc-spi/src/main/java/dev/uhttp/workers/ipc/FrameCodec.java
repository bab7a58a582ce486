package dev.uhttp.workers.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

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

    /**
     * msgpack-core reads this property once, when its buffer classes load (after this class): with it,
     * msgpack uses plain ByteBuffers instead of sun.misc.Unsafe, which JDK 24+ warns about. Set here
     * unless the application chose, so that every JVM of the toolkit is clean without a flag.
     */
    static final String UNIVERSAL_BUFFER = "msgpack.universal-buffer";

    static {
        if (System.getProperty(UNIVERSAL_BUFFER) == null) {
            System.setProperty(UNIVERSAL_BUFFER, "true");
        }
    }

    static final int T_INIT = 1, T_REQUEST = 2, T_CONFIG = 3, T_STOP = 4, T_CLIENT_GONE = 5,
            T_STREAM_FLOW = 6, T_READY = 20, T_RESPONSE = 21, T_HEARTBEAT = 22, T_KEEP_ALIVE = 23,
            T_LOG = 24, T_PAUSE = 25, T_STREAM_START = 26, T_STREAM_CHUNK = 27, T_STREAM_END = 28,
            T_DEFERRED = 29, T_FORWARD = 30, T_FILE_RESPONSE = 32, T_DUMP_STACKS = 9, T_STACKS = 33,
            T_SLOW_REQUEST = 36;
    /** Streamed request bodies (issue 15). */
    static final int T_STREAMED_REQUEST = 7, T_BODY_CHUNK = 8, T_BODY_END = 10, T_BODY_CREDIT = 31;
    /** Large complete responses sent in pieces (issue 15). */
    static final int T_RESPONSE_CREDIT = 11, T_RESPONSE_START = 34;

    private static final String[] NO_STRINGS = new String[0];
    private static final byte[] NO_BYTES = new byte[0];

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
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(head, 0, headLength)) {
            int fields = u.unpackArrayHeader();
            if (fields < 2) {
                return NO_BODY;
            }
            int type = u.unpackInt();
            if (type != T_REQUEST && type != T_RESPONSE && type != T_STREAM_CHUNK && type != T_BODY_CHUNK
                    && type != T_STREAMED_REQUEST) {
                return NO_BODY;
            }
            for (int i = 2; i < fields; i++) {
                u.skipValue();
            }
            if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.BINARY) {
                return NO_BODY;
            }
            long bodyLength = u.unpackBinaryHeader() & 0xffffffffL;
            return u.getTotalReadBytes() << 32 | bodyLength;
        } catch (org.msgpack.core.MessageInsufficientBufferException e) {
            return NEED_MORE;
        } catch (MessagePackException | IOException e) {
            return NO_BODY;
        }
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

    /** @param body the message's body, received on its own after {@code payload}; null when inside it */
    private Message decode(byte[] payload, int offset, int length, int frameLength, byte[] body)
            throws IpcProtocolException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(payload, offset, length)) {
            int fields = u.unpackArrayHeader();
            if (fields < 1) {
                throw new IpcProtocolException("empty message");
            }
            int type = u.unpackInt();
            Message m = switch (type) {
                case T_REQUEST -> request(u, payload, offset, length, frameLength, body, fields > 11);
                case T_STREAMED_REQUEST -> {
                    long announced = u.unpackLong();
                    long bufferLimit = u.unpackLong();
                    yield new Message.StreamedRequest(request(u, payload, offset, length, frameLength, body,
                            fields > 13), announced, bufferLimit);
                }
                case T_BODY_CHUNK -> new Message.BodyChunk(u.unpackLong(), body(u, frameLength, body));
                case T_BODY_END -> new Message.BodyEnd(u.unpackLong());
                case T_BODY_CREDIT -> new Message.BodyCredit(u.unpackLong(), u.unpackLong());
                case T_RESPONSE_CREDIT -> new Message.ResponseCredit(u.unpackLong(), u.unpackLong());
                case T_RESPONSE_START -> new Message.ResponseStart(u.unpackLong(), u.unpackInt(),
                        strings(u, payload, offset, length), u.unpackLong());
                case T_RESPONSE -> new Message.Response(u.unpackLong(), u.unpackInt(),
                        strings(u, payload, offset, frameLength), body(u, frameLength, body));
                case T_HEARTBEAT -> {
                    int count = u.unpackArrayHeader();
                    checkCount(u, count, length);
                    long[] busy = new long[count];
                    for (int i = 0; i < busy.length; i++) {
                        busy[i] = u.unpackLong();
                    }
                    yield new Message.Heartbeat(busy, u.unpackLong());
                }
                case T_INIT -> new Message.Init(u.unpackString(), u.unpackInt(), u.unpackString(), map(u, length),
                        u.unpackInt(), u.unpackLong(), u.unpackInt(), u.unpackString(),
                        fields > 9 ? u.unpackLong() : 0, fields > 10 ? u.unpackLong() : 0);
                case T_DUMP_STACKS -> new Message.DumpStacks();
                case T_STACKS -> new Message.Stacks(str(u, payload, offset, length));
                case T_SLOW_REQUEST -> new Message.SlowRequest(u.unpackLong(), str(u, payload, offset, length),
                        str(u, payload, offset, length), str(u, payload, offset, length), u.unpackLong(),
                        str(u, payload, offset, length));
                case T_CONFIG -> new Message.Config(map(u, length));
                case T_STOP -> new Message.Stop();
                case T_CLIENT_GONE -> new Message.ClientGone(u.unpackLong());
                case T_STREAM_FLOW -> new Message.StreamFlow(u.unpackLong(), u.unpackBoolean());
                case T_READY -> new Message.Ready(u.unpackInt(), u.unpackLong());
                case T_KEEP_ALIVE -> new Message.KeepAlive(u.unpackLong());
                case T_LOG -> new Message.Log(u.unpackInt(), str(u, payload, offset, length), str(u, payload, offset, length));
                case T_PAUSE -> new Message.Pause(u.unpackBoolean());
                case T_STREAM_START -> new Message.StreamStart(u.unpackLong(), u.unpackInt(),
                        strings(u, payload, offset, length));
                case T_STREAM_CHUNK -> new Message.StreamChunk(u.unpackLong(), body(u, frameLength, body));
                case T_STREAM_END -> new Message.StreamEnd(u.unpackLong());
                case T_DEFERRED -> new Message.Deferred(u.unpackLong());
                case T_FORWARD -> new Message.Forward(str(u, payload, offset, frameLength),
                        strings(u, payload, offset, frameLength), body(u, frameLength, body));
                case T_FILE_RESPONSE -> new Message.FileResponse(u.unpackLong(), str(u, payload, offset, length),
                        strings(u, payload, offset, length));
                default -> throw new IpcProtocolException("unknown message type " + type);
            };
            if (u.hasNext()) {
                throw new IpcProtocolException("trailing bytes after message type " + type);
            }
            return m;
        } catch (IpcProtocolException e) {
            throw e;
        } catch (MessagePackException | IOException | IllegalArgumentException | ClassCastException e) {
            throw new IpcProtocolException("undecodable frame: " + e.getMessage(), e);
        }
    }

    /**
     * A request's fields after its type (shared by Request and StreamedRequest); {@code withRequestId}
     * when the frame has the request id before the body (all but the oldest senders).
     */
    private Message.Request request(MessageUnpacker u, byte[] payload, int offset, int length, int frameLength,
                                    byte[] body, boolean withRequestId) throws IOException {
        long id = u.unpackLong();
        String method = str(u, payload, offset, frameLength);
        String path = str(u, payload, offset, frameLength);
        String query = str(u, payload, offset, frameLength);
        String[] headers = strings(u, payload, offset, frameLength);
        String remoteHost = str(u, payload, offset, frameLength);
        int remotePort = u.unpackInt();
        boolean secure = u.unpackBoolean();
        Object context = value(u, 0, length);
        String requestId = withRequestId ? str(u, payload, offset, frameLength) : "";
        return new Message.Request(id, method, path, query, headers, body(u, frameLength, body),
                remoteHost, remotePort, secure, context, requestId);
    }

    /**
     * A string decoded straight from the payload. msgpack-core's {@code unpackString} allocates a 16 KiB
     * decoding buffer per unpacker, that is per frame; this is the same decoding (malformed UTF-8
     * replaced) without it.
     */
    private static String str(MessageUnpacker u, byte[] payload, int offset, int end) throws IOException {
        int n = u.unpackRawStringHeader();
        if (n == 0) {
            return "";
        }
        checkCount(u, n, end);
        int at = offset + (int) u.getTotalReadBytes();
        u.readPayloadAsReference(n); // skips the bytes; throws when the frame ends inside them
        return new String(payload, at, n, StandardCharsets.UTF_8);
    }

    private String[] strings(MessageUnpacker u, byte[] payload, int offset, int end) throws IOException {
        int n = u.unpackArrayHeader();
        if (n == 0) {
            return NO_STRINGS;
        }
        checkCount(u, n, end);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = str(u, payload, offset, end);
        }
        return out;
    }

    /** The body, the message's last element: read from the payload, or {@code received} on its own. */
    private byte[] body(MessageUnpacker u, int end, byte[] received) throws IOException {
        if (received == null) {
            return bin(u, end);
        }
        int n = u.unpackBinaryHeader();
        if (n != received.length) {
            throw new IpcProtocolException("body of " + n + " bytes announced, " + received.length + " received");
        }
        return received;
    }

    private byte[] bin(MessageUnpacker u, int end) throws IOException {
        int n = u.unpackBinaryHeader();
        if (n == 0) {
            return NO_BYTES;
        }
        checkCount(u, n, end);
        return u.readPayload(n);
    }

    /**
     * Rejects counts that could not fit in what is left of the payload before allocating for them:
     * every element takes at least one byte, so a header claiming more is corrupt (a small frame must
     * not make us allocate gigabytes).
     */
    private static void checkCount(MessageUnpacker u, int n, int end) throws IpcProtocolException {
        if (n < 0 || n > end - u.getTotalReadBytes()) {
            throw new IpcProtocolException("length " + Integer.toUnsignedString(n) + " larger than the frame");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(MessageUnpacker u, int end) throws IOException {
        Object v = value(u, 0, end);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new IpcProtocolException("expected a map");
        }
        return (Map<String, Object>) v;
    }

    private Object value(MessageUnpacker u, int depth, int end) throws IOException {
        if (depth > 64) {
            throw new IpcProtocolException("value nested too deeply");
        }
        MessageFormat format = u.getNextFormat();
        switch (format.getValueType()) {
            case NIL -> {
                u.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return u.unpackBoolean();
            }
            case INTEGER -> {
                if (format == MessageFormat.UINT64) {
                    java.math.BigInteger big = u.unpackBigInteger();
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                long l = u.unpackLong();
                return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
            }
            case FLOAT -> {
                return u.unpackDouble();
            }
            case STRING -> {
                return u.unpackString();
            }
            case BINARY -> {
                return bin(u, end);
            }
            case ARRAY -> {
                int n = u.unpackArrayHeader();
                checkCount(u, n, end);
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(value(u, depth + 1, end));
                }
                return list;
            }
            case MAP -> {
                int n = u.unpackMapHeader();
                checkCount(u, n, end);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(u.unpackString(), value(u, depth + 1, end));
                }
                return map;
            }
            default -> throw new IpcProtocolException("unsupported value type " + format.getValueType());
        }
    }

    /** The frame of a message to send would exceed the limit (not a broken channel: the message is refused). */
    static final class Oversized extends IpcProtocolException {
        private static final long serialVersionUID = 1L;

        Oversized(long payload, int limit) {
            super("frame of " + payload + " bytes exceeds the limit of " + limit);
        }
    }
}
