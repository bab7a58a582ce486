package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.worker.encoding.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deferred answers, SSE and chunked streams, disconnects, pause/resume, back-pressure and registered
 * channels, end to end: a real dispatcher, real worker JVMs, raw sockets; over both IPC providers.
 * One dispatcher per provider, shared by the tests of this class.
 */
class StreamingTest {
    /**
     * The engine's per-connection cap for this test: small, so a client that does not read hits it soon,
     * yet far above the pause mark (half of it): the worker must hear the pause and hold its 64 KiB
     * ({@code workers.streamHoldBytes}) before the chunks already on their way reach the cap. With a
     * 256 KiB cap, a loop lagging 8 ms behind the flooding worker (load average 16) dropped the stream
     * before the worker ever held back, and its "reads too slowly" line never came.
     */
    static final int STREAM_CAP = 2 * 1024 * 1024;
    private static final Map<String, StreamDispatcher> DISPATCHERS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Captures log records; broadcasts resume to the pair pool. */
    public static class StreamDispatcher extends Dispatcher {
        final Queue<String> logs = new ConcurrentLinkedQueue<>();

        @Override
        protected void onLog(String name, LogLevel level, String message) {
            logs.add(level + " " + name + " " + message);
            super.onLog(name, level, message);
        }

        @LoopRoute(value = "/resume-all", methods = "POST")
        public void resumeAll(Exchange client) {
            client.respond(Map.of("sent", pool("pair").broadcast("POST", "/pair/resume", null)));
        }

        /** Runs {@code what} on the loop thread and returns its result. */
        <T> T onLoop(Supplier<T> what) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            execute(() -> f.complete(what.get()));
            return f.get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopAll() {
        DISPATCHERS.values().forEach(Dispatcher::stop);
        DISPATCHERS.clear();
    }

    static StreamDispatcher dispatcher(String ipc) {
        return DISPATCHERS.computeIfAbsent(ipc, name -> {
            StreamDispatcher d = new StreamDispatcher();
            d.port(0).address("127.0.0.1").ipc(name).maxStreamBuffer(STREAM_CAP)
                    .pool(WorkerPool.of(StreamWorkers.StreamWorker.class).name("solo").routes("/s/**")
                                    .timeout(Duration.ofSeconds(2)).heartbeatInterval(Duration.ofMillis(200))
                                    .jvmOptions("-Dworkers.streamHoldBytes=65536"),
                            WorkerPool.of(StreamWorkers.PairWorker.class).name("pair").workers(2).routes("/pair/**")
                                    .heartbeatInterval(Duration.ofMillis(200)))
                    .start();
            await().atMost(Duration.ofSeconds(60)).until(() -> d.onLoop(() -> d.status().pools().stream()
                    .allMatch(p -> p.workers().stream().allMatch(PoolStatus.WorkerStatus::ready))));
            // A cold worker JVM's first request can take longer than the short timeout these tests use.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(d, "/s/ping").statusCode() == 200);
            return d;
        });
    }

    static HttpResponse<String> get(Dispatcher d, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(Dispatcher d, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> json(String body) throws IOException {
        return Json.mapper().readValue(body, new TypeReference<Map<String, Object>>() { });
    }

    // ------------------------------------------------------------------ deferred answers

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void deferredAnswerFromOnIdle(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        HttpResponse<String> r = get(d, "/s/later/idle?ticks=1");
        assertEquals(200, r.statusCode());
        assertEquals(Map.of("answered", "idle", "keptAlive", false), json(r.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void deferredAnswerFromAnotherThread(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        HttpResponse<String> r = get(d, "/s/later/thread");
        assertEquals(201, r.statusCode());
        assertEquals(Map.of("answered", "thread", "thread", "answering-thread"), json(r.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void deferredRequestFreesTheWorkerAndTimesOutWithoutKeepAlive(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        CompletableFuture<HttpResponse<String>> never = HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/s/later/never"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        // The one worker (concurrency 1) holds the deferred request and still serves others.
        await().atMost(Duration.ofSeconds(10)).until(() -> d.onLoop(() -> {
            PoolStatus p = d.pool("solo").status();
            return p.pending() == 1 && p.queued() == 0 && p.workers().get(0).currentRequests().isEmpty();
        }));
        assertEquals(Map.of("pong", true), json(get(d, "/s/ping").body()));
        HttpResponse<String> timedOut = never.get(30, TimeUnit.SECONDS);
        assertEquals(504, timedOut.statusCode());
        // The worker was told: the timed-out request is gone, onDisconnect ran.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                ((List<?>) json(get(d, "/s/state").body()).get("disconnected")).size() >= 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void keepAliveKeepsADeferredRequestPastTheTimeout(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        // 16 idle ticks of 200 ms: well past the pool's 2 s timeout, kept alive at every tick.
        HttpResponse<String> r = get(d, "/s/later/kept?ticks=16");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Map.of("answered", "idle", "keptAlive", true), json(r.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void respondingTwiceSendsOneResponseAndWarns(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        try (RawHttp raw = new RawHttp(d.port())) {
            raw.send("GET /s/twice HTTP/1.1\r\nHost: x\r\n\r\nGET /s/ping HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = raw.readResponse();
            assertEquals(200, first.status());
            assertEquals(Map.of("n", 1), json(first.bodyText()));
            RawHttp.Response second = raw.readResponse();
            assertEquals(Map.of("pong", true), json(second.bodyText()), "the next response is the next request's");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> d.logs.stream()
                .anyMatch(l -> l.startsWith("WARNING") && l.contains("/s/twice") && l.contains("already answered")));
    }

    // ------------------------------------------------------------------ streams

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void sseEventFramingByteForByte(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        try (RawHttp raw = new RawHttp(d.port())) {
            raw.send("GET /s/sse HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = raw.readResponse();
            assertEquals(200, r.status());
            assertEquals("text/event-stream", r.header("Content-Type"));
            assertEquals("no-cache", r.header("Cache-Control"));
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals(null, r.header("Content-Length"));
            List<String> events = List.of(
                    "data: hello\n\n",
                    "event: update\nid: 7\nretry: 1500\ndata: {\"a\":1}\n\n",
                    "event: multi\ndata: line1\ndata: line2\ndata: line3\n\n",
                    ": ping\n\n",
                    "data: [1,\"x\"]\n\n");
            assertEquals(chunked(events), r.rawBody());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void ndjsonFramingByteForByte(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        try (RawHttp raw = new RawHttp(d.port())) {
            raw.send("GET /s/ndjson HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = raw.readResponse();
            assertEquals(200, r.status());
            assertEquals("application/x-ndjson", r.header("Content-Type"));
            assertEquals("nd", r.header("X-Test"));
            assertEquals(null, r.header("Cache-Control"), "SSE defaults only for text/event-stream");
            assertEquals(chunked(List.of("{\"prime\":2}\n", "\"line\\nbreak\"\n", "[1,2]\n", "null\n")), r.rawBody());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void chunkedStreamFraming(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        try (RawHttp raw = new RawHttp(d.port())) {
            raw.send("GET /s/chunks HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = raw.readResponse();
            assertEquals(200, r.status());
            assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
            assertEquals("1", r.header("X-Test"));
            assertTrue(r.header("Set-Cookie").startsWith("a=b"), r.header("Set-Cookie"));
            assertEquals(null, r.header("Cache-Control"), "SSE defaults only for text/event-stream");
            assertEquals("6\r\nhello \r\n6\r\nwörld\r\n0\r\n\r\n", r.rawBody());
        }
    }

    static String chunked(List<String> pieces) {
        StringBuilder b = new StringBuilder();
        for (String p : pieces) {
            b.append(Integer.toHexString(p.getBytes(StandardCharsets.UTF_8).length)).append("\r\n").append(p).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void clientCloseCallsOnDisconnectAndLaterEventsAreDropped(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        long id;
        try (RawHttp raw = new RawHttp(d.port())) {
            raw.send("GET /s/hold HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = raw.readHead();
            assertEquals(200, head.status());
            String open = raw.readChunk();
            Matcher m = Pattern.compile("event: open\ndata: \\{\"id\":(\\d+)}\n\n").matcher(open);
            assertTrue(m.matches(), open);
            id = Long.parseLong(m.group(1));
            assertEquals(Map.of("sent", true, "open", true), json(get(d, "/s/emit/" + id).body()));
            assertEquals("data: late\n\n", raw.readChunk());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                ((List<?>) json(get(d, "/s/state").body()).get("disconnected")).contains((int) id)));
        assertEquals(Map.of("sent", false, "open", false), json(get(d, "/s/emit/" + id).body()));
        assertEquals(List.of(), d.onLoop(() -> d.pool("solo").streams()), "the dispatcher forgot the stream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void slowSseReaderIsCutAtTheCapNotBufferedForever(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        long before = d.logs.stream().filter(l -> l.contains("does not read its stream fast enough")).count();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", d.port()));
            s.getOutputStream().write("GET /s/flood HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // Never read: the worker floods until the dispatcher drops the stream.
            await().atMost(Duration.ofSeconds(60)).until(() -> d.logs.stream()
                    .filter(l -> l.contains("does not read its stream fast enough")).count() > before);
        }
        List<String> drops = d.logs.stream().filter(l -> l.contains("does not read its stream fast enough")).toList();
        Matcher m = Pattern.compile("\\((\\d+) bytes buffered\\)").matcher(drops.get(drops.size() - 1));
        assertTrue(m.find(), drops.toString());
        long buffered = Long.parseLong(m.group(1));
        // The cap plus at most the one chunk (and its framing) that went over it.
        assertTrue(buffered <= STREAM_CAP + 16 * 1024 + 16, "buffered " + buffered + " > cap");
        // The worker was told to hold back before that (its held output overflowed), and was told of the drop.
        // Its log line travels over its channel, apart from the dispatcher's own: waited for, not raced.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(d.logs.stream()
                .anyMatch(l -> l.contains("/s/flood") && l.contains("reads too slowly")), d.logs.toString()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of(),
                d.onLoop(() -> d.pool("solo").streams())));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(Map.of("pong", true),
                json(get(d, "/s/ping").body())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void ndjsonDisconnectAndSlowReader(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        long id;
        try (RawHttp raw = new RawHttp(d.port())) {
            raw.send("GET /s/ndhold HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("application/x-ndjson", raw.readHead().header("Content-Type"));
            Matcher m = Pattern.compile("\\{\"id\":(\\d+)}\n").matcher(raw.readChunk());
            assertTrue(m.matches());
            id = Long.parseLong(m.group(1));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                ((List<?>) json(get(d, "/s/state").body()).get("disconnected")).contains((int) id)));
        long before = d.logs.stream().filter(l -> l.contains("does not read its stream fast enough")).count();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", d.port()));
            s.getOutputStream().write("GET /s/ndflood HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(60)).until(() -> d.logs.stream()
                    .filter(l -> l.contains("does not read its stream fast enough")).count() > before);
        }
        assertTrue(d.logs.stream().anyMatch(l -> l.contains("/s/ndflood") && l.contains("reads too slowly")), d.logs.toString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of(),
                d.onLoop(() -> d.pool("solo").streams())));
    }

    // ------------------------------------------------------------------ pause, registered channels

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void pausedWorkerGetsNothingWhileTheOtherServes(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        long pausedPid = ((Number) json(get(d, "/pair/pause").body()).get("pid")).longValue();
        await().atMost(Duration.ofSeconds(10)).until(() -> d.onLoop(() -> d.pool("pair").status().workers().stream()
                .anyMatch(w -> w.pid() == pausedPid && w.paused())));
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pids.add(((Number) json(get(d, "/pair/pid").body()).get("pid")).longValue());
        }
        assertTrue(pids.stream().noneMatch(p -> p == pausedPid), pids + " includes paused " + pausedPid);
        // Fan-out reaches the paused worker too; it resumes and serves again.
        assertEquals(Map.of("sent", 2), json(post(d, "/resume-all").body()));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.onLoop(() -> d.pool("pair").status().workers().stream()
                .noneMatch(PoolStatus.WorkerStatus::paused)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ((Number) json(get(d, "/pair/pid").body()).get("pid")).longValue() == pausedPid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void registeredChannelCallbackAnswersADeferredRequest(String ipc) throws Exception {
        StreamDispatcher d = dispatcher(ipc);
        HttpResponse<String> r = get(d, "/s/pipe?msg=through%20the%20pipe");
        assertEquals(200, r.statusCode());
        assertEquals(Map.of("read", "through the pipe", "from", "registered channel"), json(r.body()));
        assertNotEquals("", get(d, "/s/pipe?msg=again").body());
    }

    // ------------------------------------------------------------------ raw HTTP

    /** A raw HTTP/1.1 client that returns bytes as sent, chunk framing included. */
    static final class RawHttp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawHttp(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        record Response(int status, Map<String, String> headers, String rawBody, String bodyText) {
            String header(String name) {
                for (Map.Entry<String, String> e : headers.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(name)) {
                        return e.getValue();
                    }
                }
                return null;
            }
        }

        /** Status line and headers only. */
        Response readHead() throws IOException {
            String head = readUntil("\r\n\r\n");
            String[] lines = head.split("\r\n");
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.merge(lines[i].substring(0, c).trim(), lines[i].substring(c + 1).trim(), (a, b) -> a + ", " + b);
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, null, null);
        }

        /** A whole response: Content-Length or chunked (raw body kept as sent). */
        Response readResponse() throws IOException {
            Response head = readHead();
            String length = head.header("Content-Length");
            if (length != null) {
                String body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
                return new Response(head.status(), head.headers(), body, body);
            }
            StringBuilder raw = new StringBuilder();
            StringBuilder text = new StringBuilder();
            while (true) {
                String sizeLine = readUntil("\r\n");
                raw.append(sizeLine);
                int size = Integer.parseInt(sizeLine.trim(), 16);
                if (size == 0) {
                    raw.append(readUntil("\r\n"));
                    return new Response(head.status(), head.headers(), raw.toString(), text.toString());
                }
                String data = new String(in.readNBytes(size), StandardCharsets.UTF_8);
                raw.append(data).append(readUntil("\r\n"));
                text.append(data);
            }
        }

        /**
         * The data of the next chunk of a chunked body, as soon as it is there: the engine sends the
         * CRLF that closes a chunk's data in front of the next chunk's size line.
         */
        String readChunk() throws IOException {
            String line = readUntil("\r\n");
            if (line.equals("\r\n")) {
                line = readUntil("\r\n");
            }
            int size = Integer.parseInt(line.trim(), 16);
            return new String(in.readNBytes(size), StandardCharsets.UTF_8);
        }

        private String readUntil(String end) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] e = end.getBytes(StandardCharsets.ISO_8859_1);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed after " + b);
                }
                b.write(c);
                byte[] a = b.toByteArray();
                if (a.length >= e.length && java.util.Arrays.equals(a, a.length - e.length, a.length, e, 0, e.length)) {
                    return new String(a, StandardCharsets.UTF_8);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
