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
        @LoopRoute(value = "/ping", methods = "GET")
        public void ping(Exchange client) {
            client.respond(Map.of("ok", true));
        }
    }

    @Test
    void aBlockedSinkDoesNotHoldUpRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        Dispatcher d = new SyncOnly().address("127.0.0.1").port(0).classDataArchives(null)
                .accessLog(AccessLogSink.lines(line -> {
                    try {
                        blocked.countDown();
                        release.await(); // a disk that hangs
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    written.add(line);
                }).capacity(5), AccessLogFormat.COMBINED).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/ping"))
                    .timeout(Duration.ofSeconds(10)).build();
            assertEquals(200, http.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertTrue(blocked.await(10, java.util.concurrent.TimeUnit.SECONDS), "the sink took the first line and hangs");
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/ping"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), "answered while the sink is blocked");
            }
            assertEquals(0, written.size(), "the sink is still blocked");
            // The first line in the callback, 5 queued: the other 35 dropped. A line is offered when its
            // response has been written, which the client may see a moment before the loop logs it.
            await().atMost(Duration.ofSeconds(10)).until(() -> d.accessLogDropped() >= 35);
            assertEquals(35, d.accessLogDropped());
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 6);
            assertTrue(written.get(0).contains("\"GET /ping HTTP/1.1\" 200 "), written.get(0));
        } finally {
            release.countDown();
            d.stop();
        }
    }
}
