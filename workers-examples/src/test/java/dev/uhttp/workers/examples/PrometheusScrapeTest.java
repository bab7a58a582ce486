package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uhttp.workers.dispatcher.PoolStatus;
import dev.uhttp.workers.dispatcher.RunningDispatcher;
import dev.uhttp.workers.examples.simple.SimpleExample;
import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian package {@code prometheus}) scrapes the example's {@code /metrics}
 * every second, on loopback, with its data in a temporary directory; its query API then reports the
 * requests the test sent to the compute pool. Prometheus is killed at the end. Without the binary the
 * class fails, or is skipped when the run opts out ({@link RequiredTool}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final int REQUESTS = 7;
    @RegisterExtension
    static final RequiredTool PROMETHEUS = RequiredTool.of("prometheus", "prometheus");

    private Path dir;
    private RunningDispatcher dispatcher;
    private Process prometheus;
    private int prometheusPort;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Path binary = PROMETHEUS.path();
        Path staticDir = dir.resolve("static");
        SimpleExample.extractStaticFiles(staticDir);
        Path filesDir = dir.resolve("files");
        SimpleExample.createFiles(filesDir);
        dispatcher = SimpleExample.dispatcher(staticDir, dir.resolve(SimpleExample.DATABASE_FILE), filesDir)
                .port(0).address("127.0.0.1").classDataArchives(null).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> dispatcher.status().pools().stream()
                .allMatch(p -> p.workers().stream().allMatch(PoolStatus.WorkerStatus::ready)));

        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: uhttp
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(dispatcher.port()));
        prometheusPort = freePort();
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await("prometheus ready").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get("/-/ready").statusCode() == 200);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a PromQL query with a single result, or -1 when it has none. */
    private double query(String promql) throws Exception {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode answer = HttpJson.JSON.readTree(r.body());
        assertEquals("success", answer.path("status").asText(), r.body());
        JsonNode result = answer.path("data").path("result");
        return result.isEmpty() ? -1 : result.get(0).path("value").get(1).asDouble();
    }

    @Test
    void prometheusScrapesTheCountTheTestSent() throws Exception {
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + dispatcher.port() + "/api/compute/factorial/" + i))
                    .header(HttpJson.KEY[0], HttpJson.KEY[1]).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
        await("prometheus has scraped the requests").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> query("uhttp_requests_total{pool=\"compute\",code=\"200\"}") == REQUESTS);
        assertEquals(REQUESTS, query("sum(uhttp_requests_total{pool=\"compute\"})"), "nothing but the 200s");
        assertEquals(1, query("up{job=\"uhttp\"}"), "the scrape itself succeeds");
        assertEquals(REQUESTS, query("uhttp_request_duration_seconds_count{pool=\"compute\"}"));
    }
}
