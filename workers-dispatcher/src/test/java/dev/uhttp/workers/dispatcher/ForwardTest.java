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

/** {@code Worker.forward}: fire-and-forget work to whichever pool serves the route, through {@code onForward}. */
class ForwardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void forwardReachesAnotherPoolAndIsDroppedWhenItsPoolIsDegraded(String ipc) throws Exception {
        OperationsTest.OpsDispatcher d = new OperationsTest.OpsDispatcher();
        d.address("127.0.0.1").port(0).ipc(ipc).classDataArchives(null).pool(
                WorkerPool.of(OpsWorkers.OpsWorker.class).name("front").routes("/ops/forward"),
                WorkerPool.of(OpsWorkers.OpsWorker.class).name("store").routes("/ops/received"),
                WorkerPool.of(OpsWorkers.FailingSetupWorker.class).name("parked").routes("/parked/**")
                        .kwarg("exit", 78).permanentFailureExitCode(78)).start();
        try {
            assertEquals(200, send(d.port(), "POST", "/ops/forward?target=/ops/received", "{\"n\":1}").statusCode());
            await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readValue(
                    send(d.port(), "GET", "/ops/received", null).body(), Map.class).get("received").equals(List.of(Map.of("n", 1))));
            await().atMost(Duration.ofSeconds(60)).until(() -> d.logged("pool parked is degraded for good"));
            assertEquals(200, send(d.port(), "POST", "/ops/forward?target=/parked/x", "{\"n\":2}").statusCode());
            assertEquals(200, send(d.port(), "POST", "/ops/forward?target=/nowhere", "{\"n\":3}").statusCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> d.logged("forward to /parked/x dropped: pool parked is degraded")
                    && d.logged("forward to /nowhere dropped: no pool serves it"));
        } finally {
            d.stop();
        }
    }
}
