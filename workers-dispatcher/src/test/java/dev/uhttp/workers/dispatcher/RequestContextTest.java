package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code onRequestAccepted}'s value reaches the worker as {@code request.context()}. */
class RequestContextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Passes the user named by a header on to the worker; refuses a value that cannot travel. */
    public static class Contexts extends Dispatcher {
        @Override
        protected Object onRequestAccepted(long requestId, Exchange client, PoolHandle pool) {
            String user = client.header("x-user");
            if ("bad".equals(user)) {
                return new Object();
            }
            return user == null ? null : Map.of("user", user, "id", requestId, "pool", pool.name(), "roles", List.of("a"));
        }
    }

    private static HttpResponse<String> get(int port, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ops/context"));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void theWorkerSeesTheContext(String ipc) throws Exception {
        Dispatcher d = new Contexts().address("127.0.0.1").port(0).ipc(ipc).classDataArchives(null)
                .pool(WorkerPool.of(OpsWorkers.OpsWorker.class).name("ops").routes("/ops/**")).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> get(d.port()).statusCode() == 200);
            Map<?, ?> context = (Map<?, ?>) JSON.readValue(get(d.port(), "x-user", "ann").body(), Map.class).get("context");
            assertEquals("ann", context.get("user"));
            assertEquals("ops", context.get("pool"));
            assertEquals(List.of("a"), context.get("roles"));
            assertEquals(true, ((Number) context.get("id")).longValue() > 0, "the dispatcher's request id");
            assertEquals(java.util.Collections.singletonMap("context", null), JSON.readValue(get(d.port()).body(), Map.class));
            assertEquals(500, get(d.port(), "x-user", "bad").statusCode(), "a value that cannot travel");
        } finally {
            d.stop();
        }
    }
}
