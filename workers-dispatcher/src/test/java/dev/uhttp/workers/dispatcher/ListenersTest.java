package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Named listeners: a route limited to the admin listener is served there and is 404 on the public one. */
class ListenersTest {

    /** Sync routes on the admin listener only, and on all. */
    public static class Admin extends Dispatcher {
        @LoopRoute(value = "/admin/info", listeners = "admin")
        public void info(Exchange client) {
            client.respond(Map.of("listener", client.listener()));
        }

        @LoopRoute("/public")
        public void pub(Exchange client) {
            client.respond(Map.of("listener", client.listener()));
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void routesLimitedToAListenerAre404Elsewhere(String ipc, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x.txt"), "secret");
        Dispatcher d = new Admin().address("127.0.0.1").port(0).ipc(ipc).classDataArchives(null)
                .listener("admin", "127.0.0.1", 0)
                .staticRoute("/adminfiles/", dir, "admin")
                .pool(WorkerPool.of(OpsWorkers.OpsWorker.class).name("ops").routes("/ops/**").listeners("admin"))
                .start();
        try {
            int pub = d.port();
            int admin = d.port("admin");
            assertTrue(pub != admin);
            await().atMost(Duration.ofSeconds(60)).until(() -> get(admin, "/ops/pid").statusCode() == 200);
            assertEquals(404, get(pub, "/admin/info").statusCode());
            assertEquals(404, get(pub, "/adminfiles/x.txt").statusCode());
            assertEquals(404, get(pub, "/ops/pid").statusCode());
            assertEquals("{\"listener\":\"default\"}", get(pub, "/public").body());
            assertEquals("{\"listener\":\"admin\"}", get(admin, "/admin/info").body());
            assertEquals("{\"listener\":\"admin\"}", get(admin, "/public").body(), "an unlimited route is everywhere");
            assertEquals("secret", get(admin, "/adminfiles/x.txt").body());
        } finally {
            d.stop();
        }
    }

    /** Says which listener and whether the connection was TLS. */
    public static class Secure extends Dispatcher {
        @LoopRoute("/who")
        public void who(Exchange client) {
            client.respond(Map.of("listener", client.listener(), "secure", client.isSecure()));
        }
    }

    @org.junit.jupiter.api.Test
    void aNamedListenerWithItsOwnTls(@TempDir Path dir) throws Exception {
        dev.uhttp.workers.dispatcher.http.SelfSignedCertificate certificate =
                dev.uhttp.workers.dispatcher.http.SelfSignedCertificate.generate(dir);
        Dispatcher d = new Secure().address("127.0.0.1").port(0).classDataArchives(null)
                .listener("tls", "127.0.0.1", 0, certificate.server).start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(certificate.client)
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> secure = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + d.port("tls") + "/who")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(Map.of("listener", "tls", "secure", true), new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(secure.body(), Map.class));
            assertEquals(Map.of("listener", "default", "secure", false), new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(get(d.port(), "/who").body(), Map.class));
        } finally {
            d.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket"})
    void anUnknownListenerFailsAtStartupWithOneLine(String ipc) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Admin()
                .address("127.0.0.1").port(0).ipc(ipc).classDataArchives(null).start());
        assertTrue(e.getMessage().contains("limited to listener 'admin', which is not configured"), e.getMessage());
    }
}
