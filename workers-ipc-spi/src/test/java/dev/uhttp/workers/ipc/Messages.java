package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/** Sample and random messages, and comparison by content (arrays included). */
final class Messages {

    private Messages() {
    }

    /** One of every message type, with non-trivial fields. */
    static List<Message> everyType() {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("name", "pool-α");
        kwargs.put("count", 3);
        kwargs.put("big", 1L << 40);
        kwargs.put("ratio", 0.25);
        kwargs.put("on", true);
        kwargs.put("none", null);
        kwargs.put("list", List.of(1, "two", List.of(3.5)));
        kwargs.put("nested", Map.of("k", Map.of("deeper", List.of())));
        return List.of(
                new Message.Init("pool", 7, "com.example.MyWorker", kwargs, 20, 5000, 4, "{pool_name}[{worker_id}]"),
                new Message.Request(42, "POST", "/item/1", "a=1&b=%20", new String[] {"Host", "x", "Accept", "*/*"},
                        new byte[] {0, 1, 2, (byte) 0xff}, "127.0.0.1", 54321, true),
                new Message.Request(-1, "GET", "/", "", new String[0], new byte[0], "::1", 0, false),
                new Message.Forward("/store/items", new String[] {"Content-Type", "application/json"},
                        "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new Message.Request(7, "GET", "/me", "", new String[0], new byte[0], "::1", 0, false,
                        Map.of("user", "ann", "roles", List.of("admin"), "n", 3)),
                new Message.Config(Map.of("level", "DEBUG", "n", 12)),
                new Message.Stop(),
                new Message.ClientGone(9),
                new Message.StreamFlow(10, true),
                new Message.Ready(7, 12345L),
                new Message.Response(42, 201, new String[] {"Content-Type", "application/json"}, "{}".getBytes()),
                new Message.Heartbeat(new long[] {1, 2, Long.MAX_VALUE}, 1500),
                new Message.Heartbeat(new long[0], 0),
                new Message.KeepAlive(42),
                new Message.Log(40, "worker.pool", "something failed\n\tat Foo.bar()"),
                new Message.Pause(false),
                new Message.StreamStart(11, 200, new String[] {"Content-Type", "text/event-stream"}),
                new Message.StreamChunk(11, "data: hi\n\n".getBytes()),
                new Message.StreamEnd(11),
                new Message.Deferred(12),
                new Message.FileResponse(13, "/srv/files/ä b.bin",
                        new String[] {"Content-Disposition", "attachment; filename=\"b.bin\""}),
                new Message.Init("pool", 7, "com.example.MyWorker", Map.of(), 20, 5000, 1, "", 250, 30_000),
                new Message.Request(8, "GET", "/x", "", new String[0], new byte[0], "::1", 0, false, null,
                        "req-1.2:3_x"),
                new Message.DumpStacks(),
                new Message.Stacks("\"h-1\" request 4 GET /slow\n\tat app.W.burn(W.java:9)\n"),
                new Message.SlowRequest(4, "abc", "GET", "/slow", 1234, "\tat app.W.burn(W.java:9)\n"),
                new Message.StreamedRequest(new Message.Request(13, "POST", "/up", "", new String[] {"Host", "x"},
                        new byte[] {5, 6}, "127.0.0.1", 1, false, Map.of("k", "v")), 1L << 33, 1 << 20),
                new Message.BodyChunk(13, new byte[] {1, 2, 3}),
                new Message.BodyEnd(13),
                new Message.BodyCredit(13, 65536),
                new Message.ResponseStart(14, 200, new String[] {"Content-Type", "application/octet-stream"}, 1L << 32),
                new Message.ResponseCredit(14, 65536));
    }

    /** A random message of a random type; the same seed gives the same sequence. */
    static Message random(Random r) {
        return switch (r.nextInt(16)) {
            case 0 -> new Message.Init(text(r), r.nextInt(), text(r), map(r, 0), r.nextInt(60), r.nextLong(),
                    r.nextInt(64), text(r));
            case 1 -> new Message.Request(r.nextLong(), text(r), "/" + text(r), text(r), headers(r), bytes(r),
                    text(r), r.nextInt(65536), r.nextBoolean());
            case 2 -> new Message.Config(map(r, 0));
            case 3 -> new Message.Stop();
            case 4 -> new Message.ClientGone(r.nextLong());
            case 5 -> new Message.StreamFlow(r.nextLong(), r.nextBoolean());
            case 6 -> new Message.Ready(r.nextInt(), r.nextLong());
            case 7 -> new Message.Response(r.nextLong(), r.nextInt(600), headers(r), bytes(r));
            case 8 -> new Message.Heartbeat(r.longs(r.nextInt(5)).toArray(), r.nextLong());
            case 9 -> new Message.KeepAlive(r.nextLong());
            case 10 -> new Message.Log(r.nextInt(60), text(r), text(r));
            case 11 -> new Message.Pause(r.nextBoolean());
            case 12 -> new Message.StreamStart(r.nextLong(), r.nextInt(600), headers(r));
            case 13 -> new Message.StreamChunk(r.nextLong(), bytes(r));
            case 14 -> new Message.StreamEnd(r.nextLong());
            default -> new Message.Deferred(r.nextLong());
        };
    }

    private static String text(Random r) {
        int n = r.nextInt(r.nextInt(10) == 0 ? 300 : 20);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            if (kind < 7) {
                b.append((char) (' ' + r.nextInt(95)));
            } else if (kind < 9) {
                b.append((char) (0xa0 + r.nextInt(0x2000)));
            } else {
                b.appendCodePoint(0x1f600 + r.nextInt(50)); // outside the BMP: surrogate pairs
            }
        }
        return b.toString();
    }

    private static String[] headers(Random r) {
        String[] h = new String[2 * r.nextInt(6)];
        for (int i = 0; i < h.length; i++) {
            h[i] = text(r);
        }
        return h;
    }

    private static byte[] bytes(Random r) {
        byte[] b = new byte[r.nextInt(8) == 0 ? r.nextInt(100_000) : r.nextInt(64)];
        r.nextBytes(b);
        return b;
    }

    /** JSON-like values that decode to equal objects (ints as Integer, larger as Long). */
    private static Map<String, Object> map(Random r, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = r.nextInt(depth == 0 ? 6 : 3);
        for (int i = 0; i < n; i++) {
            m.put(text(r), value(r, depth + 1));
        }
        return m;
    }

    private static Object value(Random r, int depth) {
        switch (r.nextInt(depth > 3 ? 6 : 8)) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return r.nextInt();
            case 3: return (long) Integer.MAX_VALUE + 1 + (r.nextLong() & 0xffffffffffL);
            case 4: return r.nextDouble();
            case 5: return text(r);
            case 6: {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    list.add(value(r, depth + 1));
                }
                return list;
            }
            default: return map(r, depth);
        }
    }

    /** Same type and every field equal by content. */
    static void assertSame(Message expected, Message actual) {
        assertEquals(expected.getClass(), actual.getClass());
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            try {
                Object e = c.getAccessor().invoke(expected);
                Object a = c.getAccessor().invoke(actual);
                if (e instanceof Message inner) {
                    assertSame(inner, (Message) a);
                    continue;
                }
                assertTrue(Objects.deepEquals(e, a), () -> expected.getClass().getSimpleName() + "." + c.getName()
                        + " differs: expected " + e + " but was " + a);
            } catch (ReflectiveOperationException ex) {
                throw new AssertionError(ex);
            }
        }
    }

    /** The bytes of an encoded frame. */
    static byte[] frame(FrameCodec codec, Message m) throws IpcProtocolException {
        ByteBuffer b = codec.encode(m);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
