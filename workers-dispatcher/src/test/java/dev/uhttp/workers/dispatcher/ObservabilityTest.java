package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uhttp.workers.api.LogLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access log (both formats, every kind of answer, reopen), request ids, slow-request and stuck-kill
 * stacks, against two dispatchers with real worker JVMs: one logging JSON to a callback, one
 * {@code combined} to a file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** nginx's combined, field by field. */
    private static final Pattern COMBINED = Pattern.compile(
            "^(\\S+) - (\\S+) \\[([^\\]]+)\\] \"(.*?)\" (\\d{3}) (\\d+) \"(.*?)\" \"(.*?)\"$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dir;
    private static Path accessLogFile;
    private static final ConcurrentLinkedQueue<String> jsonLines = new ConcurrentLinkedQueue<>();
    private static ObsDispatcher json;
    private static ObsDispatcher combined;

    /** A sync route, and every log record kept. */
    public static class ObsDispatcher extends Dispatcher {
        final List<String> logs = new CopyOnWriteArrayList<>();

        @LoopRoute(value = "/sync/ping", methods = "GET")
        public void ping(Exchange client) {
            client.respond(Map.of("rid", client.requestId()));
        }

        @Override
        protected void onLog(String name, LogLevel level, String message) {
            logs.add(level + " " + name + " " + message);
            super.onLog(name, level, message);
        }

        String logged(String... fragments) {
            for (String l : logs) {
                if (java.util.Arrays.stream(fragments).allMatch(l::contains)) {
                    return l;
                }
            }
            return null;
        }
    }

    private static ObsDispatcher dispatcher(Path statics) {
        ObsDispatcher d = new ObsDispatcher();
        d.address("127.0.0.1").port(0).classDataArchives(null).maxContentLength(1000)
                .staticRoute("/static/", statics)
                .pool(WorkerPool.of(ObservabilityWorkers.TracedWorker.class).name("obs").routes("/obs/**")
                        .concurrency(2).logLevel(LogLevel.INFO).slowRequestThreshold(Duration.ofMillis(300))
                        .stuckTimeout(Duration.ofSeconds(3)).maxStreamedBodySize(4096));
        return d;
    }

    /** A pool whose handler runs on the worker's loop thread (concurrency 1), which a stuck handler holds. */
    private static WorkerPool loopPool() {
        return WorkerPool.of(ObservabilityWorkers.LoopWorker.class).name("loop").routes("/loop/**")
                .logLevel(LogLevel.INFO).slowRequestThreshold(Duration.ofMillis(300)).stuckTimeout(Duration.ofSeconds(3));
    }

    @BeforeAll
    static void start() throws Exception {
        Path statics = Files.createDirectories(dir.resolve("static"));
        Files.writeString(statics.resolve("a.txt"), "twelve bytes");
        accessLogFile = dir.resolve("access.log");
        json = dispatcher(statics);
        json.pool(loopPool());
        json.accessLog(AccessLogSink.lines(jsonLines::add), AccessLogFormat.JSON).start();
        combined = dispatcher(statics);
        combined.accessLog(AccessLogSink.file(accessLogFile), AccessLogFormat.COMBINED).start();
        for (Dispatcher d : List.of(json, combined)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> get(d, "/obs/hello", "warm-up").statusCode() == 200);
        }
    }

    @AfterAll
    static void stop() {
        for (Dispatcher d : new Dispatcher[] {json, combined}) {
            if (d != null) {
                d.stop();
            }
        }
    }

    private static HttpResponse<String> get(Dispatcher d, String path, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
                .timeout(Duration.ofSeconds(30)).header("User-Agent", "obs-test \"quoted\"").header("Referer", "http://r/x");
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request whose body is over the pool's maxStreamedBodySize, raw (413 before it is read). */
    private static String tooLarge(Dispatcher d, String requestId) throws IOException {
        try (Socket s = new Socket("127.0.0.1", d.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /obs/hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + requestId
                    + "\r\nUser-Agent: raw\r\nContent-Length: 5000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends one of each kind of request, with ids {@code prefix-kind}. */
    private static void oneOfEach(Dispatcher d, String prefix) throws Exception {
        assertEquals(200, get(d, "/static/a.txt", prefix + "-static").statusCode());
        assertEquals(200, get(d, "/sync/ping", prefix + "-sync").statusCode());
        assertEquals(200, get(d, "/obs/hello", prefix + "-pool").statusCode());
        assertEquals(404, get(d, "/nothing/here", prefix + "-404").statusCode());
        assertTrue(tooLarge(d, prefix + "-413").startsWith("HTTP/1.1 413 "));
    }

    @Test
    @Order(1)
    void jsonLinesForEveryKindOfAnswer() throws Exception {
        oneOfEach(json, "j");
        Map<String, Map<?, ?>> byId = new java.util.HashMap<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (String line : jsonLines) {
                Map<?, ?> m = JSON.readValue(line, Map.class);
                byId.put((String) m.get("request_id"), m);
            }
            return byId.keySet().containsAll(List.of("j-static", "j-sync", "j-pool", "j-404", "j-413"));
        });
        Map<?, ?> stat = byId.get("j-static");
        assertEquals("GET", stat.get("method"));
        assertEquals("/static/a.txt", stat.get("target"));
        assertEquals("HTTP/1.1", stat.get("protocol"));
        assertEquals(200, stat.get("status"));
        assertEquals(12, stat.get("bytes_sent"));
        assertEquals("static", stat.get("pool"));
        assertEquals(null, stat.get("worker"));
        assertEquals("127.0.0.1", stat.get("remote_addr"));
        assertEquals("obs-test \"quoted\"", stat.get("user_agent"));
        assertEquals("http://r/x", stat.get("referer"));
        assertTrue(((Number) stat.get("duration_ms")).doubleValue() >= 0);
        assertNotNull(java.time.Instant.parse((String) stat.get("time")));
        assertEquals("sync", byId.get("j-sync").get("pool"));
        Map<?, ?> pool = byId.get("j-pool");
        assertEquals("obs", pool.get("pool"));
        assertTrue(pool.get("worker") instanceof Integer, "the worker's id");
        assertEquals("{\"rid\":\"j-pool\"}".length(), pool.get("bytes_sent"));
        assertEquals(404, byId.get("j-404").get("status"));
        assertEquals("none", byId.get("j-404").get("pool"));
        Map<?, ?> large = byId.get("j-413");
        assertEquals(413, large.get("status"));
        assertEquals("POST", large.get("method"));
        assertEquals("/obs/hello", large.get("target"));
        assertEquals("raw", large.get("user_agent"));
        assertEquals(null, large.get("referer"));
    }

    @Test
    @Order(2)
    void combinedLinesForEveryKindOfAnswer() throws Exception {
        oneOfEach(combined, "c");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(accessLogFile).contains("\"raw\""));
        List<String> lines = Files.readAllLines(accessLogFile);
        // combined has no request id: the lines come in the order the requests were answered
        List<String> ours = lines.subList(lines.size() - 5, lines.size());
        String[][] expected = {
            {"GET /static/a.txt HTTP/1.1", "200", "12"},
            {"GET /sync/ping HTTP/1.1", "200", String.valueOf("{\"rid\":\"c-sync\"}".length())},
            {"GET /obs/hello HTTP/1.1", "200", String.valueOf("{\"rid\":\"c-pool\"}".length())},
            {"GET /nothing/here HTTP/1.1", "404", null},
            {"POST /obs/hello HTTP/1.1", "413", null},
        };
        for (int i = 0; i < expected.length; i++) {
            Matcher m = COMBINED.matcher(ours.get(i));
            assertTrue(m.matches(), ours.get(i));
            assertEquals("127.0.0.1", m.group(1));
            assertEquals("-", m.group(2));
            ZonedDateTime t = ZonedDateTime.parse(m.group(3), DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT));
            assertTrue(Math.abs(t.toEpochSecond() - System.currentTimeMillis() / 1000) < 300, m.group(3));
            assertEquals(expected[i][0], m.group(4));
            assertEquals(expected[i][1], m.group(5));
            if (expected[i][2] != null) {
                assertEquals(expected[i][2], m.group(6));
            }
            if (i < 4) {
                assertEquals("http://r/x", m.group(7));
                assertEquals("obs-test \\x22quoted\\x22", m.group(8), "quotes escaped as nginx does");
            } else {
                assertEquals("-", m.group(7));
                assertEquals("raw", m.group(8));
            }
        }
    }

    @Test
    @Order(3)
    void theFileIsReopenedAfterItWasMoved() throws Exception {
        assertEquals(200, get(combined, "/sync/ping", "before-rotate").statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(accessLogFile).contains("/sync/ping"));
        Path rotated = dir.resolve("access.log.1");
        Files.move(accessLogFile, rotated);
        combined.reopenAccessLog(); // what SIGUSR1 does
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(accessLogFile));
        assertEquals(404, get(combined, "/after/rotate", null).statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(accessLogFile).contains("/after/rotate"));
        assertFalse(Files.readString(rotated).contains("/after/rotate"), "new lines go to the new file");
        assertEquals(0, combined.accessLogDropped());
    }

    @Test
    @Order(4)
    void aSaneClientIdIsKeptAndSeenByTheWorkerAndItsLog() throws Exception {
        String id = "abc-123.x:y_Z";
        HttpResponse<String> r = get(json, "/obs/hello", id);
        assertEquals(id, r.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(id, JSON.readValue(r.body(), Map.class).get("rid"), "request.requestId() in the worker");
        await().atMost(Duration.ofSeconds(10)).until(() -> json.logged("[rid=" + id + "] hello from the handler") != null);
    }

    @Test
    @Order(5)
    void anInsaneClientIdIsReplaced() throws Exception {
        for (String bad : new String[] {"has space", "quote\"d", "x".repeat(129), "semi;colon"}) {
            HttpResponse<String> r = get(json, "/obs/hello", bad);
            String id = r.headers().firstValue("X-Request-Id").orElseThrow();
            assertNotEquals(bad, id);
            assertTrue(SANE_ID.matcher(id).matches(), id);
            assertEquals(id, JSON.readValue(r.body(), Map.class).get("rid"));
        }
    }

    @Test
    @Order(6)
    void generatedIdsAreUniqueOnEveryKindOfResponse() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            for (String path : new String[] {"/obs/hello", "/sync/ping", "/static/a.txt", "/nowhere"}) {
                String id = get(json, path, null).headers().firstValue("X-Request-Id").orElseThrow();
                assertTrue(SANE_ID.matcher(id).matches(), id);
                assertTrue(ids.add(id), "unique: " + id);
            }
        }
        String raw = tooLarge(json, "");
        assertTrue(Pattern.compile("(?i)\r\nX-Request-Id: [A-Za-z0-9._:-]+\r\n").matcher(raw).find(), raw);
    }

    @Test
    @Order(7)
    void aSlowRequestsStackIsLoggedOnce() throws Exception {
        assertEquals(200, get(json, "/obs/busy/1200", "slow-1").statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> json.logged("slow request", "[rid=slow-1]") != null);
        String line = json.logged("slow request", "[rid=slow-1]");
        assertTrue(line.startsWith("WARNING obs "), line);
        assertTrue(line.contains("GET /obs/busy/1200"), line);
        assertTrue(line.contains("burnCpuBusyLoop"), line);
        assertEquals(1, json.logs.stream().filter(l -> l.contains("[rid=slow-1]") && l.contains("slow request")).count());
    }

    @Test
    @Order(8)
    void aStuckWorkersKillIsLoggedWithItsHandlersStacks() throws Exception {
        CompletableFuture<HttpResponse<String>> spin = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + json.port() + "/obs/spin")).header("X-Request-Id", "spin-1")
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, spin.get().statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> json.logged("stuck: no progress", "spinForeverInBusyLoop") != null);
        String line = json.logged("stuck: no progress", "spinForeverInBusyLoop");
        assertTrue(line.startsWith("ERROR obs "), line);
        assertTrue(line.contains("[rid=spin-1] GET /obs/spin"), line);
        await().atMost(Duration.ofSeconds(60)).until(() -> get(json, "/obs/hello", null).statusCode() == 200);
    }

    /**
     * With concurrency 1 the handler holds the worker's loop, so the worker cannot read DumpStacks: its
     * watchdog's stacks (written from its own thread, over the default IPC provider) are what is logged.
     */
    @Test
    @Order(9)
    void aStuckHandlerOnTheWorkersLoopThreadStillHasItsStacksLogged() throws Exception {
        assertEquals(502, get(json, "/loop/spin", "loop-1").statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> json.logged("stuck: no progress", "loop-1") != null);
        String line = json.logged("stuck: no progress", "loop-1");
        assertTrue(line.startsWith("ERROR loop "), line);
        assertTrue(line.contains("spinForeverInBusyLoop"), line);
        String slow = json.logged("slow request", "[rid=loop-1]");
        assertNotNull(slow, "the slowlog too, while the handler still spun");
        assertTrue(slow.contains("spinForeverInBusyLoop"), slow);
    }
}
