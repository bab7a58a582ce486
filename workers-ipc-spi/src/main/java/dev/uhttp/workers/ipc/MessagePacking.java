package dev.uhttp.workers.ipc;

import static dev.uhttp.workers.ipc.FrameCodec.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How each {@link Message} is laid out in a frame (the writing half of {@link FrameCodec}). */
final class MessagePacking {
    private MessagePacking() {
    }

    static int initialSize(Message m) {
        if (m instanceof Message.Request r) {
            return 256 + r.body().length + 64 * r.headers().length;
        } else if (m instanceof Message.Response r) {
            return 128 + r.body().length + 64 * r.headers().length;
        } else if (m instanceof Message.StreamChunk c) {
            return 32 + c.data().length;
        } else if (m instanceof Message.BodyChunk c) {
            return 32 + c.data().length;
        } else if (m instanceof Message.StreamedRequest r) {
            return 280 + r.body().length + 64 * r.request().headers().length;
        }
        return 128;
    }

    /** @param out where a large body becomes a part of its own (encodeParts), or null to copy it in */
    static void pack(FrameOutput p, FrameOutput out, Message message) throws IOException {
        if (message instanceof Message.Request m) {
            p.packArrayHeader(12).packInt(T_REQUEST);
            request(p, out, m);
        } else if (message instanceof Message.StreamedRequest s) {
            p.packArrayHeader(14).packInt(T_STREAMED_REQUEST).packLong(s.length()).packLong(s.bufferLimit());
            request(p, out, s.request());
        } else if (message instanceof Message.BodyChunk m) {
            p.packArrayHeader(3).packInt(T_BODY_CHUNK).packLong(m.id());
            bin(p, out, m.data());
        } else if (message instanceof Message.BodyEnd m) {
            p.packArrayHeader(2).packInt(T_BODY_END).packLong(m.id());
        } else if (message instanceof Message.BodyCredit m) {
            p.packArrayHeader(3).packInt(T_BODY_CREDIT).packLong(m.id()).packLong(m.bytes());
        } else if (message instanceof Message.ResponseCredit m) {
            p.packArrayHeader(3).packInt(T_RESPONSE_CREDIT).packLong(m.id()).packLong(m.bytes());
        } else if (message instanceof Message.ResponseStart m) {
            p.packArrayHeader(5).packInt(T_RESPONSE_START).packLong(m.id()).packInt(m.status());
            strings(p, m.headers());
            p.packLong(m.length());
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
            p.packArrayHeader(11).packInt(T_INIT).packString(m.poolName()).packInt(m.workerId())
                    .packString(m.workerClass());
            value(p, m.kwargs());
            p.packInt(m.logLevel()).packLong(m.heartbeatMillis()).packInt(m.concurrency()).packString(m.logName())
                    .packLong(m.slowRequestMillis()).packLong(m.stuckMillis());
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
        } else if (message instanceof Message.FileResponse m) {
            p.packArrayHeader(4).packInt(T_FILE_RESPONSE).packLong(m.id()).packString(m.path());
            strings(p, m.headers());
        } else if (message instanceof Message.DumpStacks) {
            p.packArrayHeader(1).packInt(T_DUMP_STACKS);
        } else if (message instanceof Message.Stacks m) {
            p.packArrayHeader(2).packInt(T_STACKS).packString(m.text());
        } else if (message instanceof Message.SlowRequest m) {
            p.packArrayHeader(7).packInt(T_SLOW_REQUEST).packLong(m.id()).packString(m.requestId())
                    .packString(m.method()).packString(m.path()).packLong(m.elapsedMillis()).packString(m.stack());
        } else {
            throw new IllegalArgumentException("unknown message " + message);
        }
    }

    /** A request's fields after its type (shared by Request and StreamedRequest). */
    private static void request(FrameOutput p, FrameOutput out, Message.Request m) throws IOException {
        request(p, out, m.id(), m.method(), m.path(), m.query(), m.headers(), m.body(), m.remoteHost(), m.remotePort(),
                m.secure(), m.context(), m.requestId());
    }

    /** The same from the fields ({@link FrameCodec#packedRequest}: no record). */
    static void request(FrameOutput p, FrameOutput out, long id, String method, String path, String query,
                        String[] headers, byte[] body, String remoteHost, int remotePort, boolean secure,
                        Object context, CharSequence requestId) throws IOException {
        p.packLong(id).packString(method).packString(path).packString(query);
        strings(p, headers);
        p.packString(remoteHost).packInt(remotePort).packBoolean(secure);
        value(p, context);
        p.packString(requestId == null ? "" : requestId);
        bin(p, out, body); // a body is always the last element: see bodyPosition
    }

    private static void strings(FrameOutput p, String[] values) throws IOException {
        p.packArrayHeader(values.length);
        for (String v : values) {
            p.packString(v);
        }
    }

    static void bin(FrameOutput p, FrameOutput out, byte[] data) throws IOException {
        p.packBinaryHeader(data.length);
        if (out != null && out.separateBodies && data.length >= SEPARATE_BODY_BYTES) {
            out.appendPart(data);
        } else {
            p.writePayload(data);
        }
    }

    /** Packs a JSON-like value: null, Boolean, Number, String/CharSequence, byte[], List/array, Map. */
    private static void value(FrameOutput p, Object v) throws IOException {
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
}
