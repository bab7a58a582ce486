package dev.uhttp.workers.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
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

    private static final int T_INIT = 1, T_REQUEST = 2, T_CONFIG = 3, T_STOP = 4, T_CLIENT_GONE = 5,
            T_STREAM_FLOW = 6, T_READY = 20, T_RESPONSE = 21, T_HEARTBEAT = 22, T_KEEP_ALIVE = 23,
            T_LOG = 24, T_PAUSE = 25, T_STREAM_START = 26, T_STREAM_CHUNK = 27, T_STREAM_END = 28,
            T_DEFERRED = 29, T_FORWARD = 30;

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
        FrameOutput out = new FrameOutput(initialSize(message));
        try (MessagePacker p = MessagePack.newDefaultPacker(out)) {
            pack(p, null, message);
        } catch (IOException e) {
            throw new IpcProtocolException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        int payload = out.size() - 4;
        if (payload > maxFrameBytes) {
            throw new Oversized(payload, maxFrameBytes);
        }
        return out.toFrame();
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
        FrameOutput out = new FrameOutput(initialSize(message) - body.length);
        out.separateBodies = true;
        try (MessagePacker p = MessagePack.newDefaultPacker(out)) {
            pack(p, out, message);
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
    private static byte[] bodyOf(Message m) {
        return m instanceof Message.HasBody b ? b.body() : null;
    }

    /** Encodes and writes {@code message} to a blocking stream (does not flush). */
    public void write(Message message, OutputStream out) throws IOException {
        ByteBuffer frame = encode(message);
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }

    private static int initialSize(Message m) {
        if (m instanceof Message.Request r) {
            return 256 + r.body().length + 64 * r.headers().length;
        } else if (m instanceof Message.Response r) {
            return 128 + r.body().length + 64 * r.headers().length;
        } else if (m instanceof Message.StreamChunk c) {
            return 32 + c.data().length;
        }
        return 128;
    }

    /** @param out where a large body becomes a part of its own (encodeParts), or null to copy it in */
    private static void pack(MessagePacker p, FrameOutput out, Message message) throws IOException {
        if (message instanceof Message.Request m) {
            p.packArrayHeader(11).packInt(T_REQUEST).packLong(m.id()).packString(m.method()).packString(m.path())
                    .packString(m.query());
            strings(p, m.headers());
            p.packString(m.remoteHost()).packInt(m.remotePort()).packBoolean(m.secure());
            value(p, m.context());
            bin(p, out, m.body()); // a body is always the last element: see bodyPosition
        } else if (message instanceof Message.Response m) {
            p.packArrayHeader(5).packInt(T_RESPONSE).packLong(m.id()).packInt(m.status());
            strings(p, m.headers());
            bin(p, out, m.body());
        } else if (message instanceof Message.Heartbeat m) {
            p.packArrayHeader(3).packInt(T_HEARTBEAT);
            p.packArrayHeader(m.busy().length);
            for (long id : m.busy()) {
                p.packLong(id);
            }
            p.packLong(m.stalledMillis());
        } else if (message instanceof Message.Init m) {
            p.packArrayHeader(9).packInt(T_INIT).packString(m.poolName()).packInt(m.workerId())
                    .packString(m.workerClass());
            value(p, m.kwargs());
            p.packInt(m.logLevel()).packLong(m.heartbeatMillis()).packInt(m.concurrency()).packString(m.logName());
        } else if (message instanceof Message.Config m) {
            p.packArrayHeader(2).packInt(T_CONFIG);
            value(p, m.config());
        } else if (message instanceof Message.Stop) {
            p.packArrayHeader(1).packInt(T_STOP);
        } else if (message instanceof Message.ClientGone m) {
            p.packArrayHeader(2).packInt(T_CLIENT_GONE).packLong(m.id());
        } else if (message instanceof Message.StreamFlow m) {
            p.packArrayHeader(3).packInt(T_STREAM_FLOW).packLong(m.id()).packBoolean(m.paused());
        } else if (message instanceof Message.Ready m) {
            p.packArrayHeader(3).packInt(T_READY).packInt(m.workerId()).packLong(m.pid());
        } else if (message instanceof Message.KeepAlive m) {
            p.packArrayHeader(2).packInt(T_KEEP_ALIVE).packLong(m.id());
        } else if (message instanceof Message.Log m) {
            p.packArrayHeader(4).packInt(T_LOG).packInt(m.level()).packString(m.logger()).packString(m.message());
        } else if (message instanceof Message.Pause m) {
            p.packArrayHeader(2).packInt(T_PAUSE).packBoolean(m.paused());
        } else if (message instanceof Message.StreamStart m) {
            p.packArrayHeader(4).packInt(T_STREAM_START).packLong(m.id()).packInt(m.status());
            strings(p, m.headers());
        } else if (message instanceof Message.StreamChunk m) {
            p.packArrayHeader(3).packInt(T_STREAM_CHUNK).packLong(m.id());
            bin(p, out, m.data());
        } else if (message instanceof Message.StreamEnd m) {
            p.packArrayHeader(2).packInt(T_STREAM_END).packLong(m.id());
        } else if (message instanceof Message.Deferred m) {
            p.packArrayHeader(2).packInt(T_DEFERRED).packLong(m.id());
        } else if (message instanceof Message.Forward m) {
            p.packArrayHeader(4).packInt(T_FORWARD).packString(m.path());
            strings(p, m.headers());
            bin(p, out, m.body());
        } else {
            throw new IllegalArgumentException("unknown message " + message);
        }
    }

    private static void strings(MessagePacker p, String[] values) throws IOException {
        p.packArrayHeader(values.length);
        for (String v : values) {
            p.packString(v);
        }
    }

    private static void bin(MessagePacker p, FrameOutput out, byte[] data) throws IOException {
        p.packBinaryHeader(data.length);
        if (out != null && out.separateBodies && data.length >= SEPARATE_BODY_BYTES) {
            p.flush(); // everything packed so far into out, before the body's own part
            out.appendPart(data);
        } else {
            p.writePayload(data);
        }
    }

    /** Packs a JSON-like value: null, Boolean, Number, String/CharSequence, byte[], List/array, Map. */
    private static void value(MessagePacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof java.math.BigInteger b) {
            p.packBigInteger(b);
        } else if (v instanceof Number n) {
            p.packDouble(n.doubleValue());
        } else if (v instanceof CharSequence s) {
            p.packString(s.toString());
        } else if (v instanceof byte[] b) {
            bin(p, null, b);
        } else if (v instanceof Map<?, ?> map) {
            p.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                p.packString(String.valueOf(e.getKey()));
                value(p, e.getValue());
            }
        } else if (v instanceof Iterable<?> list) {
            List<Object> items = new ArrayList<>();
            list.forEach(items::add);
            p.packArrayHeader(items.size());
            for (Object item : items) {
                value(p, item);
            }
        } else if (v instanceof Object[] array) {
            p.packArrayHeader(array.length);
            for (Object item : array) {
                value(p, item);
            }
        } else if (v instanceof Enum<?> e) {
            p.packString(e.name());
        } else {
            throw new IllegalArgumentException("cannot send a " + v.getClass().getName()
                    + " to a worker: use strings, numbers, booleans, lists and maps");
        }
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
            if (type != T_REQUEST && type != T_RESPONSE && type != T_STREAM_CHUNK) {
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
                case T_REQUEST -> {
                    long id = u.unpackLong();
                    String method = str(u, payload, offset, frameLength);
                    String path = str(u, payload, offset, frameLength);
                    String query = str(u, payload, offset, frameLength);
                    String[] headers = strings(u, payload, offset, frameLength);
                    String remoteHost = str(u, payload, offset, frameLength);
                    int remotePort = u.unpackInt();
                    boolean secure = u.unpackBoolean();
                    Object context = value(u, 0, length);
                    yield new Message.Request(id, method, path, query, headers, body(u, frameLength, body),
                            remoteHost, remotePort, secure, context);
                }
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
                        u.unpackInt(), u.unpackLong(), u.unpackInt(), u.unpackString());
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

    /** A growable buffer with 4 bytes reserved in front for the length prefix. */
    private static final class FrameOutput implements org.msgpack.core.buffer.MessageBufferOutput {
        private byte[] buf;
        private int size = 4;
        /** encodeParts: large bodies become parts of their own. */
        boolean separateBodies;
        /** Parts before the current one (encodeParts), else null; the current one starts at partStart. */
        private List<ByteBuffer> parts;
        private int partStart;
        long separateBytes;
        private org.msgpack.core.buffer.MessageBuffer lastNext;
        private int lastNextOffset;

        FrameOutput(int capacity) {
            buf = new byte[Math.max(64, capacity + 4)];
        }

        int size() {
            return size;
        }

        private void ensure(int extra) {
            if (size + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size + extra, buf.length * 2));
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        @Override
        public org.msgpack.core.buffer.MessageBuffer next(int minimumSize) {
            ensure(minimumSize);
            lastNextOffset = size;
            lastNext = org.msgpack.core.buffer.MessageBuffer.wrap(buf, size, buf.length - size);
            return lastNext;
        }

        @Override
        public void writeBuffer(int length) {
            size = lastNextOffset + length;
        }

        @Override
        public void add(byte[] b, int off, int len) {
            write(b, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        ByteBuffer toFrame() {
            putLength(buf, size - 4);
            return ByteBuffer.wrap(buf, 0, size);
        }

        /** Ends the current part and adds {@code data} as a part of its own. */
        void appendPart(byte[] data) {
            if (parts == null) {
                parts = new ArrayList<>(3);
            }
            parts.add(ByteBuffer.wrap(buf, partStart, size - partStart));
            parts.add(ByteBuffer.wrap(data));
            separateBytes += data.length;
            partStart = size;
        }

        ByteBuffer[] toParts() {
            if (parts == null) {
                return new ByteBuffer[] {toFrame()};
            }
            // The first part holds the length prefix; buf may have been replaced since it was cut.
            putLength(parts.get(0).array(), (int) (size - 4 + separateBytes));
            if (size > partStart) {
                parts.add(ByteBuffer.wrap(buf, partStart, size - partStart));
            }
            return parts.toArray(new ByteBuffer[0]);
        }

        private static void putLength(byte[] b, int payload) {
            b[0] = (byte) (payload >>> 24);
            b[1] = (byte) (payload >>> 16);
            b[2] = (byte) (payload >>> 8);
            b[3] = (byte) payload;
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
