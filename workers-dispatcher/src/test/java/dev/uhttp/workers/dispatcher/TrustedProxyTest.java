package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behind a trusted proxy (here: loopback), the client and scheme the proxy reports reach sync handlers and workers. */
class TrustedProxyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Answers who the dispatcher thinks the client is. */
    public static class WhoAmI extends Dispatcher {
        @LoopRoute("/whoami")
        public void whoami(Exchange client) {
            client.respond(Map.of("remote", client.remoteAddress().getAddress().getHostAddress(), "secure", client.isSecure()));
        }
    }

    private static Map<?, ?> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readValue(r.body(), Map.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void theProxysWordReachesSyncHandlersAndWorkers(String ipc) throws Exception {
        Dispatcher trusting = new WhoAmI().trustedProxies("127.0.0.1", "::1");
        Dispatcher plain = new WhoAmI();
        for (Dispatcher d : new Dispatcher[] {trusting, plain}) {
            d.address("127.0.0.1").port(0).ipc(ipc).classDataArchives(null)
                    .pool(WorkerPool.of(OpsWorkers.OpsWorker.class).name("ops").routes("/ops/**")).start();
        }
        try {
            for (String path : new String[] {"/whoami", "/ops/whoami"}) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> get(trusting.port(), path) != null && get(plain.port(), path) != null);
                assertEquals(Map.of("remote", "198.51.100.7", "secure", true),
                        get(trusting.port(), path, "X-Forwarded-For", "6.6.6.6, 198.51.100.7", "X-Forwarded-Proto", "https"));
                assertEquals(Map.of("remote", "2001:db8:0:0:0:0:0:1", "secure", false),
                        get(trusting.port(), path, "Forwarded", "for=\"[2001:db8::1]:4711\";proto=http"));
                assertEquals(Map.of("remote", "127.0.0.1", "secure", false), get(trusting.port(), path), "no header");
                assertEquals(Map.of("remote", "127.0.0.1", "secure", false),
                        get(plain.port(), path, "X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https"),
                        "never trusted by default");
            }
        } finally {
            trusting.stop();
            plain.stop();
        }
    }
}
