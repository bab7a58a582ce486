package dev.uhttp.workers.ipc;

import static dev.uhttp.workers.ipc.FrameCodec.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each {@link Message} is read from a frame (the reading half of {@link FrameCodec}, the mirror of
 * {@link MessagePacking}), with {@link FrameInput} over the received bytes.
 */
final class MessageReading {
    private static final String[] NO_STRINGS = new String[0];
    private static final byte[] NO_BYTES = new byte[0];

    private MessageReading() {
    }

    /**
     * Where the body of a frame starts, from the first {@code headLength} bytes of its payload (see
     * {@link FrameCodec#bodyPosition}).
     */
    static long bodyPosition(byte[] head, int headLength) {
        FrameInput u = FrameInput.over(head, 0, headLength);
        try {
            int fields = u.readArrayHeader();
            if (fields < 2) {
                return NO_BODY;
            }
            int type = u.readInt();
            if (type != T_REQUEST && type != T_RESPONSE && type != T_STREAM_CHUNK && type != T_BODY_CHUNK
                    && type != T_STREAMED_REQUEST) {
                return NO_BODY;
            }
            for (int i = 2; i < fields; i++) {
                u.skipValue();
            }
            if (u.nextType() != FrameInput.BINARY) {
                return NO_BODY;
            }
            long bodyLength = u.readBinaryHeader() & 0xffffffffL;
            return u.readBytes() << 32 | bodyLength;
        } catch (FrameInput.Truncated e) {
            return NEED_MORE;
        } catch (IpcProtocolException e) {
            return NO_BODY;
        } finally {
            u.release();
        }
    }

    /** @param body the message's body, received on its own after {@code payload}; null when inside it */
    static Message decode(byte[] payload, int offset, int length, int frameLength, byte[] body)
            throws IpcProtocolException {
        FrameInput u = FrameInput.over(payload, offset, length);
        try {
            int fields = u.readArrayHeader();
            if (fields < 1) {
                throw new IpcProtocolException("empty message");
            }
            int type = u.readInt();
            Message m = switch (type) {
                case T_REQUEST -> request(u, frameLength, body, fields > 11);
                case T_STREAMED_REQUEST -> {
                    long announced = u.readLong();
                    long bufferLimit = u.readLong();
                    yield new Message.StreamedRequest(request(u, frameLength, body, fields > 13), announced,
                            bufferLimit);
                }
                case T_BODY_CHUNK -> new Message.BodyChunk(u.readLong(), body(u, frameLength, body));
                case T_BODY_END -> new Message.BodyEnd(u.readLong());
                case T_BODY_CREDIT -> new Message.BodyCredit(u.readLong(), u.readLong());
                case T_RESPONSE_CREDIT -> new Message.ResponseCredit(u.readLong(), u.readLong());
                case T_RESPONSE_START -> new Message.ResponseStart(u.readLong(), u.readInt(), strings(u, length),
                        u.readLong());
                case T_RESPONSE -> new Message.Response(u.readLong(), u.readInt(), strings(u, frameLength),
                        body(u, frameLength, body));
                case T_HEARTBEAT -> {
                    int count = u.readArrayHeader();
                    checkCount(u, count, length);
                    long[] busy = new long[count];
                    for (int i = 0; i < busy.length; i++) {
                        busy[i] = u.readLong();
                    }
                    yield new Message.Heartbeat(busy, u.readLong());
                }
                case T_INIT -> new Message.Init(str(u, length), u.readInt(), str(u, length), map(u, length),
                        u.readInt(), u.readLong(), u.readInt(), str(u, length),
                        fields > 9 ? u.readLong() : 0, fields > 10 ? u.readLong() : 0);
                case T_DUMP_STACKS -> new Message.DumpStacks();
                case T_STACKS -> new Message.Stacks(str(u, length));
                case T_SLOW_REQUEST -> new Message.SlowRequest(u.readLong(), str(u, length), str(u, length),
                        str(u, length), u.readLong(), str(u, length));
                case T_CONFIG -> new Message.Config(map(u, length));
                case T_STOP -> new Message.Stop();
                case T_CLIENT_GONE -> new Message.ClientGone(u.readLong());
                case T_STREAM_FLOW -> new Message.StreamFlow(u.readLong(), u.readBoolean());
                case T_READY -> new Message.Ready(u.readInt(), u.readLong());
                case T_KEEP_ALIVE -> new Message.KeepAlive(u.readLong());
                case T_LOG -> new Message.Log(u.readInt(), str(u, length), str(u, length));
                case T_PAUSE -> new Message.Pause(u.readBoolean());
                case T_STREAM_START -> new Message.StreamStart(u.readLong(), u.readInt(), strings(u, length));
                case T_STREAM_CHUNK -> new Message.StreamChunk(u.readLong(), body(u, frameLength, body));
                case T_STREAM_END -> new Message.StreamEnd(u.readLong());
                case T_DEFERRED -> new Message.Deferred(u.readLong());
                case T_FORWARD -> new Message.Forward(str(u, frameLength), strings(u, frameLength),
                        body(u, frameLength, body));
                case T_FILE_RESPONSE -> new Message.FileResponse(u.readLong(), str(u, length), strings(u, length));
                default -> throw new IpcProtocolException("unknown message type " + type);
            };
            if (u.hasNext()) {
                throw new IpcProtocolException("trailing bytes after message type " + type);
            }
            return m;
        } catch (FrameInput.Truncated e) {
            throw new IpcProtocolException("undecodable frame: " + e.getMessage(), e);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IpcProtocolException("undecodable frame: " + e.getMessage(), e);
        } finally {
            u.release();
        }
    }

    /**
     * Reads a {@code Response} frame into {@code into} in place (its body stays in {@code payload}).
     *
     * @return false when the payload is anything else, or malformed: {@link #decode} then reads or
     *     rejects it as it does every frame
     */
    static boolean readResponse(byte[] payload, int offset, int length, ResponseView into) {
        FrameInput u = FrameInput.over(payload, offset, length);
        try {
            if (u.readArrayHeader() != 5 || u.readInt() != T_RESPONSE) {
                return false;
            }
            into.start(u.readLong(), u.readInt());
            int n = u.readArrayHeader();
            checkCount(u, n, length);
            String[] headers = into.headerArray(n);
            for (int i = 0; i < n; i++) {
                headers[i] = str(u, length);
            }
            int bodyLength = u.readBinaryHeader();
            checkCount(u, bodyLength, length);
            into.body(payload, u.position(), bodyLength);
            u.skip(bodyLength);
            return !u.hasNext();
        } catch (IpcProtocolException | IllegalArgumentException | ClassCastException e) {
            return false;
        } finally {
            u.release();
        }
    }

    /**
     * A request's fields after its type (shared by Request and StreamedRequest); {@code withRequestId}
     * when the frame has the request id before the body (all but the oldest senders).
     */
    private static Message.Request request(FrameInput u, int frameLength, byte[] body, boolean withRequestId)
            throws IpcProtocolException {
        long id = u.readLong();
        String method = str(u, frameLength);
        String path = str(u, frameLength);
        String query = str(u, frameLength);
        String[] headers = strings(u, frameLength);
        String remoteHost = str(u, frameLength);
        int remotePort = u.readInt();
        boolean secure = u.readBoolean();
        Object context = value(u, 0, frameLength);
        String requestId = withRequestId ? str(u, frameLength) : "";
        return new Message.Request(id, method, path, query, headers, body(u, frameLength, body),
                remoteHost, remotePort, secure, context, requestId);
    }

    /** A string (malformed UTF-8 replaced), decoded straight from the payload. */
    private static String str(FrameInput u, int end) throws IpcProtocolException {
        int n = u.readStringHeader();
        checkCount(u, n, end);
        return u.readUtf8(n);
    }

    private static String[] strings(FrameInput u, int end) throws IpcProtocolException {
        int n = u.readArrayHeader();
        if (n == 0) {
            return NO_STRINGS;
        }
        checkCount(u, n, end);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = str(u, end);
        }
        return out;
    }

    /** The body, the message's last element: read from the payload, or {@code received} on its own. */
    private static byte[] body(FrameInput u, int end, byte[] received) throws IpcProtocolException {
        if (received == null) {
            return bin(u, end);
        }
        int n = u.readBinaryHeader();
        if (n != received.length) {
            throw new IpcProtocolException("body of " + n + " bytes announced, " + received.length + " received");
        }
        return received;
    }

    private static byte[] bin(FrameInput u, int end) throws IpcProtocolException {
        int n = u.readBinaryHeader();
        if (n == 0) {
            return NO_BYTES;
        }
        checkCount(u, n, end);
        return u.readBytes(n);
    }

    /**
     * Rejects counts that could not fit in what is left of the payload before allocating for them:
     * every element takes at least one byte, so a header claiming more is corrupt (a small frame must
     * not make us allocate gigabytes).
     */
    private static void checkCount(FrameInput u, int n, int end) throws IpcProtocolException {
        if (n < 0 || n > end - u.readBytes()) {
            throw new IpcProtocolException("length " + Integer.toUnsignedString(n) + " larger than the frame");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(FrameInput u, int end) throws IpcProtocolException {
        Object v = value(u, 0, end);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new IpcProtocolException("expected a map");
        }
        return (Map<String, Object>) v;
    }

    /** A JSON-like value: what msgpack-core's unpacker gave for each type (ints as Integer when they fit). */
    private static Object value(FrameInput u, int depth, int end) throws IpcProtocolException {
        if (depth > 64) {
            throw new IpcProtocolException("value nested too deeply");
        }
        switch (u.nextType()) {
            case FrameInput.NIL -> {
                u.readNil();
                return null;
            }
            case FrameInput.BOOLEAN -> {
                return u.readBoolean();
            }
            case FrameInput.INTEGER -> {
                if (u.nextIsUint64()) {
                    java.math.BigInteger big = u.readBigInteger();
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                long l = u.readLong();
                return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
            }
            case FrameInput.FLOAT -> {
                return u.readDouble();
            }
            case FrameInput.STRING -> {
                return str(u, end);
            }
            case FrameInput.BINARY -> {
                return bin(u, end);
            }
            case FrameInput.ARRAY -> {
                int n = u.readArrayHeader();
                checkCount(u, n, end);
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(value(u, depth + 1, end));
                }
                return list;
            }
            case FrameInput.MAP -> {
                int n = u.readMapHeader();
                checkCount(u, n, end);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(str(u, end), value(u, depth + 1, end));
                }
                return map;
            }
            default -> throw new IpcProtocolException("unsupported value type EXTENSION");
        }
    }
}
