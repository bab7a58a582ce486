package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A sink that blocks never holds up requests: lines wait in a bounded queue, then are dropped and counted. */
class AccessLogSinkTest {

    public static class SyncOnly extends Dispatcher {
        @Sync(value = "/ping", methods = "GET")
        public void ping(Client client) {
            client.respond(Map.of("ok", true));
        }
    }

    @Test
    void aBlockedSinkDoesNotHoldUpRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        Dispatcher d = new SyncOnly().address("127.0.0.1").port(0).classDataArchives(null)
                .accessLog(AccessLogSink.lines(line -> {
                    try {
                        release.await(); // a disk that hangs
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    written.add(line);
                }).capacity(5), AccessLogFormat.COMBINED).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/ping"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), "answered while the sink is blocked");
            }
            assertEquals(0, written.size(), "the sink is still blocked");
            // one line in the callback, 5 queued: the rest dropped
            await().atMost(Duration.ofSeconds(10)).until(() -> d.accessLogDropped() >= 40 - 6);
            assertTrue(d.accessLogDropped() <= 40 - 5, "at most the queue and the line in hand were kept");
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 40 - d.accessLogDropped());
            assertTrue(written.get(0).contains("\"GET /ping HTTP/1.1\" 200 "), written.get(0));
        } finally {
            release.countDown();
            d.stop();
        }
    }
}
