package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.testtools.RequiredTool;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of a real dispatcher with real worker JVMs: counters and histograms move exactly with
 * the requests sent (by pool and status), restarts are counted by reason, the route serves text that
 * {@code promtool check metrics} accepts, on its listener only, after {@code doCheckSync}; a blocked
 * loop shows in the loop lag. One dispatcher for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path staticDir;
    private MetricsDispatcher d;

    /** A sync route, one that blocks the loop (never do this), and a check on sync routes. */
    public static class MetricsDispatcher extends Dispatcher {
        @Override
        protected void doCheckSync(Exchange client) {
            if (client.header("x-deny") != null) {
                client.respond(403, Map.of("error", "forbidden"));
                throw new RejectRequest();
            }
        }

        @LoopRoute("/ping")
        public void ping(Exchange client) {
            client.respond(Map.of("pong", true));
        }

        @LoopRoute("/block/{ms:int}")
        public void block(Exchange client) {
            // A slow sync handler holds the whole loop: it spins on the loop thread for that long.
            long end = System.nanoTime() + (Integer) client.pathParams().get("ms") * 1_000_000L;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            client.respond(Map.of("blocked", true));
        }
    }

    @BeforeAll
    void start() throws IOException {
        Files.writeString(staticDir.resolve("a.txt"), "hello static");
        d = new MetricsDispatcher();
        d.address("127.0.0.1").port(0).classDataArchives(null).maxContentLength(1024)
                .listener("admin", "127.0.0.1", 0)
                .metricsRoute("/metrics", "admin")
                .staticRoute("/static/", staticDir)
                .pool(WorkerPool.of(TestWorkers.ApiWorker.class).name("api").workers(1).routes("/api/**")
                                .heartbeatInterval(Duration.ofMillis(200)).maxStreamedBodySize(4096),
                        WorkerPool.of(TestWorkers.HangWorker.class).name("hang").routes("/hang/**")
                                .stuckTimeout(Duration.ofSeconds(2)).heartbeatInterval(Duration.ofMillis(200)));
        d.start();
        DispatcherTest.awaitReady(d);
    }

    @AfterAll
    void stop() {
        if (d != null) {
            d.stop();
        }
    }

    private HttpResponse<String> send(int port, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int get(String path) throws Exception {
        return send(d.port(), "GET", path, null).statusCode();
    }

    /** A body over the pool's maxStreamedBodySize: answered 413 by the engine before it is read. */
    private String tooLarge() throws IOException {
        return raw("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    }

    /** Sends {@code request} on a connection of its own and reads everything until the server closes it. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", d.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static double delta(Metrics after, Metrics before, String sample, String... labels) {
        return after.value(sample, labels) - before.value(sample, labels);
    }

    @Test
    void countersAndHistogramsMoveExactlyWithTheRequests() throws Exception {
        Metrics before = d.metrics();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/api/item/" + i));
        }
        assertEquals(404, get("/api/nowhere")); // the pool's worker has no such route: counted for the pool
        assertEquals(404, get("/nope"));
        assertEquals(404, get("/nope/either"));
        String file = raw("GET /static/a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String missing = raw("GET /static/missing.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(file.startsWith("HTTP/1.1 200 ") && file.endsWith("hello static"), file);
        assertTrue(missing.startsWith("HTTP/1.1 404 "), missing);
        assertEquals(200, get("/ping"));
        assertTrue(tooLarge().startsWith("HTTP/1.1 413 "));

        // Counted when the last byte is written, which may be a moment after the client read it.
        await().atMost(Duration.ofSeconds(10)).until(() -> delta(d.metrics(), before, "uhttp_requests_total") == 10);
        Metrics after = d.metrics();
        assertEquals(3, delta(after, before, "uhttp_requests_total", "pool", "api", "code", "200"));
        assertEquals(1, delta(after, before, "uhttp_requests_total", "pool", "api", "code", "404"));
        assertEquals(2, delta(after, before, "uhttp_requests_total", "pool", "none", "code", "404"));
        assertEquals(1, delta(after, before, "uhttp_requests_total", "pool", "none", "code", "413"));
        assertEquals(1, delta(after, before, "uhttp_requests_total", "pool", "static", "code", "200"));
        assertEquals(1, delta(after, before, "uhttp_requests_total", "pool", "static", "code", "404"));
        assertEquals(1, delta(after, before, "uhttp_requests_total", "pool", "sync", "code", "200"));
        assertEquals(0, delta(after, before, "uhttp_requests_total", "pool", "hang"));

        assertEquals(4, delta(after, before, "uhttp_request_duration_seconds_count", "pool", "api"));
        assertEquals(4, delta(after, before, "uhttp_request_duration_seconds_bucket", "pool", "api", "le", "+Inf"));
        assertEquals(3, delta(after, before, "uhttp_request_duration_seconds_count", "pool", "none"));
        assertEquals(4, delta(after, before, "uhttp_queue_wait_seconds_count", "pool", "api"));
        assertTrue(delta(after, before, "uhttp_request_duration_seconds_sum", "pool", "api") > 0);
        assertEquals(file.length() + missing.length(), delta(after, before, "uhttp_response_bytes_total", "pool", "static"),
                "every byte the clients read, heads and bodies");
        assertTrue(delta(after, before, "uhttp_ipc_frames_total", "direction", "sent") >= 4);
        assertTrue(delta(after, before, "uhttp_ipc_frames_total", "direction", "received") >= 4);
        assertEquals(0, after.value("uhttp_requests_in_flight", "pool", "api"));
        assertEquals(0, after.value("uhttp_queue_depth", "pool", "api"));
        assertEquals(1, after.value("uhttp_workers", "pool", "api"), "one worker, in exactly one state");
        assertEquals(1, after.value("uhttp_workers", "pool", "api", "state", "ready"));
    }

    @Test
    void theRouteServesTextPromtoolAcceptsOnItsListenerOnlyAfterDoCheckSync(@TempDir Path dir) throws Exception {
        int admin = d.port("admin");
        HttpResponse<String> r = send(admin, "GET", "/metrics", null);
        assertEquals(200, r.statusCode());
        assertEquals(Metrics.CONTENT_TYPE, r.headers().firstValue("content-type").orElseThrow());
        assertTrue(r.body().contains("# TYPE uhttp_requests_total counter\n"), r.body());
        assertTrue(r.body().contains("uhttp_event_loop_lag_seconds_bucket{le=\"+Inf\"} "), r.body());

        assertEquals(404, get("/metrics"), "limited to the admin listener");
        assertEquals(405, send(admin, "POST", "/metrics", "{}").statusCode());
        assertEquals(403, send(admin, "GET", "/metrics", null, "x-deny", "1").statusCode());
        assertEquals(200, send(admin, "HEAD", "/metrics", null).statusCode());

        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, r.body());
        String promtool = RequiredTool.require("promtool", "prometheus").toString();
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
        assertEquals("", out.trim(), "no lint problems");
    }

    @Test
    void restartsAreCountedByReason() throws Exception {
        Metrics before = d.metrics();
        long pid = d.status().pools().stream().filter(p -> p.name().equals("api")).findFirst().orElseThrow()
                .workers().get(0).pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
        await().atMost(Duration.ofSeconds(30)).until(() ->
                delta(d.metrics(), before, "uhttp_worker_restarts_total", "pool", "api", "reason", "died") == 1);

        assertEquals(502, get("/hang/hang"), "killed as stuck");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                delta(d.metrics(), before, "uhttp_worker_restarts_total", "pool", "hang", "reason", "stuck") == 1);
        Metrics after = d.metrics();
        assertEquals(0, delta(after, before, "uhttp_worker_restarts_total", "pool", "hang", "reason", "died"));
        assertEquals(1, delta(after, before, "uhttp_worker_restarts_total", "pool", "api"), "one restart in all");
        DispatcherTest.awaitReady(d);
        assertEquals(200, get("/api/item/1"));
    }

    @Test
    void aLoopBlockedByASyncHandlerShowsInTheLoopLag() throws Exception {
        Metrics before = d.metrics();
        assertEquals(200, get("/block/400"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Metrics m = d.metrics();
            // an observation above 250 ms: counted in +Inf but not in le=0.25
            return delta(m, before, "uhttp_event_loop_lag_seconds_bucket", "le", "+Inf")
                    - delta(m, before, "uhttp_event_loop_lag_seconds_bucket", "le", "0.25") >= 1;
        });
    }
}
