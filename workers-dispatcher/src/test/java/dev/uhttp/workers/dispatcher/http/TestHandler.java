package dev.uhttp.workers.dispatcher.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uhttp.workers.dispatcher.staticfiles.MimeTypes;
import dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Routes used by the engine tests. */
final class TestHandler implements HttpHandler {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TEXT = {"Content-Type", "text/plain; charset=utf-8"};

    private final SelectorLoop loop;
    volatile StaticRoutes statics;
    final AtomicInteger streamCloses = new AtomicInteger();
    final AtomicInteger writableEvents = new AtomicInteger();
    final AtomicInteger handled = new AtomicInteger();

    TestHandler(SelectorLoop loop) {
        this.loop = loop;
    }

    static Map<String, String> params(String query) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                m.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        return m;
    }

    @Override
    public void handle(HttpExchange ex) {
        handled.incrementAndGet();
        Map<String, String> q = params(ex.query());
        String path = ex.path();
        if (path.startsWith("/static/") || path.equals("/static")) {
            StaticRoutes s = statics;
            Path file = s == null ? null : s.resolve(path);
            if (file == null) {
                ex.respond(404, new String[] {"Content-Type", "application/json"},
                        "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                ex.respondFile(file, MimeTypes.forPath(file), new String[] {"Cache-Control", "no-cache"});
            }
            return;
        }
        switch (path) {
            case "/echo": {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("method", ex.method());
                m.put("target", ex.target());
                m.put("path", ex.path());
                m.put("query", ex.query());
                m.put("protocol", ex.protocol());
                m.put("secure", ex.isSecure());
                m.put("body", new String(ex.body(), StandardCharsets.UTF_8));
                m.put("headers", Arrays.asList(ex.headers()));
                try {
                    ex.respond(200, new String[] {"Content-Type", "application/json", "Set-Cookie", "a=1",
                        "Set-Cookie", "b=2"}, JSON.writeValueAsBytes(m));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return;
            }
            case "/reused": { // which object and generation answered, then offered to the connection's next request
                if (q.containsKey("onclose")) {
                    ex.onClose(() -> { });
                }
                String[] headers = q.containsKey("close") ? new String[] {"Connection", "close"} : TEXT;
                ex.respond(200, headers, (System.identityHashCode(ex) + " " + ex.generation())
                        .getBytes(StandardCharsets.UTF_8));
                ex.reuseOnceWritten();
                return;
            }
            case "/later": {
                long ms = Long.parseLong(q.getOrDefault("ms", "50"));
                String tag = q.getOrDefault("tag", "later");
                loop.schedule(ms, () -> ex.respond(200, TEXT, tag.getBytes(StandardCharsets.UTF_8)));
                return;
            }
            case "/status": {
                int status = Integer.parseInt(q.getOrDefault("code", "200"));
                ex.respond(status, TEXT, "status body".getBytes(StandardCharsets.UTF_8));
                return;
            }
            case "/big": {
                int size = Integer.parseInt(q.getOrDefault("size", "1000000"));
                ex.respond(200, new String[] {"Content-Type", "application/octet-stream"}, pattern(size));
                return;
            }
            case "/stream": {
                int n = Integer.parseInt(q.getOrDefault("n", "3"));
                ex.startStream(200, TEXT);
                sendLater(ex, 0, n);
                return;
            }
            case "/endless": {
                // keeps producing, ignoring back-pressure, until the engine drops the connection
                ex.onClose(streamCloses::incrementAndGet);
                ex.onWritable(writableEvents::incrementAndGet);
                ex.startStream(200, new String[] {"Content-Type", "application/octet-stream"});
                produce(ex, Integer.parseInt(q.getOrDefault("chunk", "65536")));
                return;
            }
            case "/throw":
                throw new IllegalStateException("boom");
            case "/badheader":
                try {
                    ex.respond(200, new String[] {"X-Evil", "a\r\nInjected: yes"}, new byte[0]);
                } catch (IllegalArgumentException e) {
                    ex.respond(500, TEXT, "rejected".getBytes(StandardCharsets.UTF_8));
                }
                return;
            default:
                ex.respond(404, new String[] {"Content-Type", "application/json"},
                        "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void sendLater(HttpExchange ex, int i, int n) {
        loop.schedule(5, () -> {
            if (i == n) {
                ex.endStream();
                return;
            }
            ex.sendChunk(("chunk-" + i + "\n").getBytes(StandardCharsets.UTF_8));
            sendLater(ex, i + 1, n);
        });
    }

    private void produce(HttpExchange ex, int chunk) {
        if (!ex.isOpen()) {
            return;
        }
        ex.sendChunk(new byte[chunk]);
        loop.schedule(1, () -> produce(ex, chunk));
    }

    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + (i % 26));
        }
        return b;
    }
}
