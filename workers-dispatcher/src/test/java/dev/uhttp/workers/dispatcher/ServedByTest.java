package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of answer, each checked twice: the access log's JSON line and the metrics' {@code pool}
 * label must name the same server (the one served-by record the router sets), and the worker only for a
 * worker's answer.
 */
class ServedByTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Dispatcher d;

    @Test
    void accessLogAndMetricsNameTheSameServerForEveryKindOfAnswer(@TempDir Path dir) throws Exception {
        Path statics = Files.createDirectories(dir.resolve("static"));
        Files.writeString(statics.resolve("a.txt"), "static");
        d = new TestDispatcher().address("127.0.0.1").port(0).classDataArchives(null).maxContentLength(1000)
                .maxPending(1).metricsRoute("/metrics").staticRoute("/static/", statics)
                .pool(WorkerPool.of(TestWorkers.ApiWorker.class).name("api").routes("/api/**").maxStreamedBodySize(4096))
                .accessLog(AccessLogSink.lines(lines::add), AccessLogFormat.JSON)
                .start();
        try {
            DispatcherTest.awaitReady(d);
            check("pool 200", 200, "api", true, () -> get("/api/item/1", "r-pool"));
            check("doCheck 401", 401, "api", false, () -> get("/api/item/1", "r-deny", "x-deny", "1"));
            check("404", 404, "none", false, () -> get("/nowhere", "r-404"));
            check("static 200", 200, "static", false, () -> get("/static/a.txt", "r-static"));
            check("static 304", 304, "static", false, () -> get("/static/a.txt", "r-304",
                    "If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"));
            check("static 405", 405, "static", false, () -> send("POST", "/static/a.txt", "r-405"));
            check("sync", 200, "sync", false, () -> get("/api/sync/x", "r-sync"));
            check("metrics route", 200, "sync", false, () -> get("/metrics", "r-metrics"));
            check("413", 413, "none", false, () -> raw("POST /api/echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: r-413\r\n"
                    + "Content-Length: 5000\r\n\r\n"));
            check("400", 400, "none", false, () -> raw("GET /api/item/1 HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: nope\r\n\r\n"));
            // Admission: maxPending 1, one slow request pending; the next one matched the pool and is refused.
            CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(request("GET", "/api/slow/3000", "r-slow"),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(20)).until(() -> d.status().pending() == 1);
            check("admission 503", 503, "api", false, () -> get("/api/item/2", "r-503"));
            assertEquals(200, slow.get().statusCode());
        } finally {
            d.stop();
        }
    }

    @FunctionalInterface
    interface Call {
        int send() throws Exception;
    }

    /**
     * Sends one request; its access log line (the one new line) and the one request the metrics counted
     * must both carry {@code label}.
     */
    private void check(String what, int status, String label, boolean byWorker, Call call) throws Exception {
        Metrics before = d.metrics();
        int linesBefore = lines.size();
        double totalBefore = before.value("uhttp_requests_total");
        assertEquals(status, call.send(), what);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() > linesBefore
                && d.metrics().value("uhttp_requests_total") > totalBefore);
        JsonNode line = JSON.readTree(lines.get(linesBefore));
        assertEquals(status, line.get("status").asInt(), () -> what + ": " + line);
        assertEquals(label, line.get("pool").asText(), () -> what + " in the access log: " + line);
        assertEquals(byWorker, !line.get("worker").isNull(), () -> what + ": worker in " + line);
        Metrics after = d.metrics();
        assertEquals(1, after.value("uhttp_requests_total") - totalBefore, what + ": one request counted");
        assertEquals(1, after.value("uhttp_requests_total", "pool", label, "code", Integer.toString(status))
                - before.value("uhttp_requests_total", "pool", label, "code", Integer.toString(status)),
                what + " in the metrics under pool=\"" + label + "\"");
    }

    private HttpRequest request(String method, String path, String requestId, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("X-Request-Id", requestId);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    private int get(String path, String requestId, String... headers) throws Exception {
        return send("GET", path, requestId, headers);
    }

    private int send(String method, String path, String requestId, String... headers) throws Exception {
        return HTTP.send(request(method, path, requestId, headers), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Sends {@code request} on a connection of its own; the status of what the server answered. */
    private int raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", d.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 "), answer);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }
}
