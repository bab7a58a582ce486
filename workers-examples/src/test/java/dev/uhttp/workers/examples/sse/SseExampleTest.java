package dev.uhttp.workers.examples.sse;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uhttp.workers.dispatcher.RunningDispatcher;
import dev.uhttp.workers.dispatcher.PoolStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSE example end to end, over both IPC providers: subscribers read with a raw socket, as
 * {@code curl -N} does; a publish reaches subscribers held by both workers of the event pool; a worker
 * pauses at {@code max_subscribers} and resumes when one leaves. One dispatcher per provider.
 */
class SseExampleTest {
    private static final int MAX_SUBSCRIBERS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Map<String, RunningDispatcher> DISPATCHERS = new ConcurrentHashMap<>();

    @AfterAll
    static void stopAll() {
        DISPATCHERS.values().forEach(RunningDispatcher::stop);
    }

    static RunningDispatcher dispatcher(String ipc) {
        return DISPATCHERS.computeIfAbsent(ipc, name -> {
            try {
                RunningDispatcher d = SseExample.dispatcher(0, "127.0.0.1", name, MAX_SUBSCRIBERS,
                        Files.createTempDirectory("sse-static")).start();
                await().atMost(Duration.ofSeconds(60)).until(() -> onLoop(d, () -> d.pool(SseDispatcher.EVENTS).status()
                        .workers().stream().allMatch(PoolStatus.WorkerStatus::ready)));
                return d;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static <T> T onLoop(RunningDispatcher d, Supplier<T> what) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        d.execute(() -> f.complete(what.get()));
        return f.get(10, TimeUnit.SECONDS);
    }

    static Map<String, Object> json(String text) throws IOException {
        return JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
    }

    static HttpResponse<String> publish(RunningDispatcher d, String channel, String msg) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/publish"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("channel", channel, "msg", msg))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void publishReachesSubscribersOnBothWorkers(String ipc) throws Exception {
        RunningDispatcher d = dispatcher(ipc);
        List<Subscriber> subs = new ArrayList<>();
        try {
            // Subscribe until two subscribers of "news" are held by different worker processes.
            while (subs.stream().map(s -> s.pid).distinct().count() < 2) {
                assertTrue(subs.size() < 2 * MAX_SUBSCRIBERS - 1, "subscribers all on one worker: " + subs);
                subs.add(new Subscriber(d.port(), "news"));
            }
            Map<String, Object> published = json(publish(d, "news", "hello").body());
            assertEquals(Map.of("published", subs.size(), "channel", "news"), published);
            for (Subscriber s : subs) {
                assertEquals(Map.of("msg", "hello"), s.nextMessage(), "subscriber on pid " + s.pid);
            }
            Map<String, Object> health = json(HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + d.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("sse", health.get("example"));
            assertEquals(Map.of("news", subs.size()), health.get("subscribers"));
        } finally {
            for (Subscriber s : subs) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(d, () -> d.pool(SseDispatcher.EVENTS).streams().isEmpty()));
        assertEquals(Map.of("published", 0, "channel", "news"), json(publish(d, "news", "nobody").body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void aFullWorkerPausesAndResumesWhenASubscriberLeaves(String ipc) throws Exception {
        RunningDispatcher d = dispatcher(ipc);
        List<Subscriber> subs = new ArrayList<>();
        try {
            Subscriber first = new Subscriber(d.port(), "sports");
            subs.add(first);
            // Fill the first subscriber's worker: it pauses at MAX_SUBSCRIBERS, the rest go to the other.
            while (subs.stream().filter(s -> s.pid == first.pid).count() < MAX_SUBSCRIBERS) {
                assertTrue(subs.size() < 2 * MAX_SUBSCRIBERS, "never reached " + MAX_SUBSCRIBERS + " on pid " + first.pid);
                subs.add(new Subscriber(d.port(), "sports"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> paused(d, first.pid));
            Subscriber next = new Subscriber(d.port(), "sports");
            subs.add(next);
            assertNotEquals(first.pid, next.pid, "a paused worker gets no new subscriber");
            subs.remove(first);
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !paused(d, first.pid));
            // The message reaches everyone still subscribed, on both workers, paused or not.
            assertEquals(subs.size(), json(publish(d, "sports", "goal").body()).get("published"));
            for (Subscriber s : subs) {
                assertEquals(Map.of("msg", "goal"), s.nextMessage());
            }
        } finally {
            for (Subscriber s : subs) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(d, () -> d.pool(SseDispatcher.EVENTS).streams().isEmpty()));
    }

    static boolean paused(RunningDispatcher d, long pid) throws Exception {
        return onLoop(d, () -> d.pool(SseDispatcher.EVENTS).status().workers().stream()
                .anyMatch(w -> w.pid() == pid && w.paused()));
    }

    /** A subscriber reading the raw chunked stream, as {@code curl -N} does. */
    static final class Subscriber implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final long pid;

        Subscriber(int port, String channel) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = socket.getInputStream();
            socket.getOutputStream().write(("GET /events?channel=" + channel + " HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readUntil("\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            assertTrue(head.toLowerCase().contains("content-type: text/event-stream"), head);
            assertTrue(head.toLowerCase().contains("transfer-encoding: chunked"), head);
            String[] open = nextEvent();
            assertEquals("open", open[0]);
            Map<String, Object> data = json(open[1]);
            assertEquals("connected", data.get("status"));
            assertEquals(channel, data.get("channel"));
            pid = ((Number) data.get("pid")).longValue();
        }

        /** The data of the next {@code message} event (pings skipped). */
        Map<String, Object> nextMessage() throws IOException {
            while (true) {
                String[] e = nextEvent();
                if (e[0].equals("message")) {
                    return json(e[1]);
                }
                assertEquals("ping", e[0], "unexpected event " + e[0]);
            }
        }

        /** {event name, data} of the next event; one event per chunk. */
        String[] nextEvent() throws IOException {
            String line = readUntil("\r\n");
            if (line.equals("\r\n")) {
                line = readUntil("\r\n"); // the CRLF after the previous chunk's data
            }
            int size = Integer.parseInt(line.trim(), 16);
            String event = new String(in.readNBytes(size), StandardCharsets.UTF_8);
            assertTrue(event.endsWith("\n\n"), event);
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String l : event.substring(0, event.length() - 2).split("\n")) {
                if (l.startsWith("event: ")) {
                    name = l.substring(7);
                } else if (l.startsWith("data: ")) {
                    data.append(data.length() > 0 ? "\n" : "").append(l.substring(6));
                }
            }
            return new String[] {name, data.toString()};
        }

        private String readUntil(String end) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (!b.toString(StandardCharsets.UTF_8).endsWith(end)) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("stream closed after " + b);
                }
                b.write(c);
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        @Override
        public String toString() {
            return "subscriber(pid " + pid + ")";
        }
    }
}
