package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code logTarget(SYSTEM_LOGGER)}: the dispatcher's records and a worker's (sent over IPC) reach
 * {@link System.Logger}, where a logging framework's bridge picks them up ({@link CapturingLoggerFinder}
 * stands in for one).
 */
class SystemLoggerTest {

    @Test
    void theDispatchersAndTheWorkersRecordsReachSystemLogger() throws Exception {
        Dispatcher d = new Dispatcher().address("127.0.0.1").port(0).classDataArchives(null)
                .logTarget(LogTarget.SYSTEM_LOGGER)
                .pool(WorkerPool.of(ObservabilityWorkers.TracedWorker.class).name("obs").routes("/obs/**"))
                .start();
        try {
            DispatcherTest.awaitReady(d);
            d.log(dev.uhttp.workers.api.LogLevel.CRITICAL, "critical {}", 7);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + d.port() + "/obs/hello")).header("X-Request-Id", "jpl-1").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> CapturingLoggerFinder.RECORDS.stream()
                    .anyMatch(l -> l.startsWith("WARNING uhttp.workers.obs[0] [rid=jpl-1] hello from the handler")));
        } finally {
            d.stop();
        }
        assertTrue(CapturingLoggerFinder.RECORDS.stream().anyMatch(l -> l.startsWith("INFO uhttp.workers.dispatcher listening on")),
                CapturingLoggerFinder.RECORDS::toString);
        assertTrue(CapturingLoggerFinder.RECORDS.contains("ERROR uhttp.workers.dispatcher critical 7"),
                CapturingLoggerFinder.RECORDS::toString);
    }
}
