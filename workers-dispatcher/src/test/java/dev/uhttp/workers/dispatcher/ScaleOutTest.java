package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Running side by side: the readiness route follows the pools' workers, and two dispatchers with
 * {@code reusePort} on one port (each with its own pool) both answer.
 */
class ScaleOutTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Says which dispatcher answered. */
    public static class Named extends Dispatcher {
        @LoopRoute("/who")
        public void who(Exchange exchange) {
            exchange.respond(Map.of("node", nodeName()));
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        // A new client, so a new connection each time: with SO_REUSEPORT the kernel picks a listener per connection.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsTheWorkersAndTwoDispatchersShareAPort() throws Exception {
        Dispatcher a = new Named().address("127.0.0.1").port(0).classDataArchives(null).nodeName("a")
                .readinessRoute("/health/ready").reusePort(true)
                .pool(WorkerPool.of(OpsWorkers.OpsWorker.class).name("ops").routes("/ops/**"));
        a.start();
        Dispatcher b = null;
        try {
            HttpResponse<String> first = get(a.port(), "/health/ready");
            assertEquals(503, first.statusCode(), "no worker is ready yet: " + first.body());
            assertTrue(first.body().contains("\"node\":\"a\""), first.body());
            await().atMost(Duration.ofSeconds(60)).until(() -> get(a.port(), "/health/ready").statusCode() == 200);
            assertEquals("{\"status\":\"ready\",\"reason\":\"ready\",\"node\":\"a\"}", get(a.port(), "/health/ready").body());
            assertEquals(405, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + "/health/ready"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            b = new Named().address("127.0.0.1").port(a.port()).classDataArchives(null).nodeName("b").reusePort(true)
                    .pool(WorkerPool.of(OpsWorkers.OpsWorker.class).name("ops").routes("/ops/**"));
            b.start();
            Set<String> seen = new HashSet<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                seen.add(get(a.port(), "/who").body());
                return seen.size() == 2;
            });
            assertEquals(Set.of("{\"node\":\"a\"}", "{\"node\":\"b\"}"), seen);
        } finally {
            if (b != null) {
                b.stop();
            }
            a.stop();
        }
    }
}
