package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static route options: extra headers, fall-through to the next stage, and the onStaticServed hook. */
class StaticOptionsTest {

    /** A sync route under a fall-through static prefix; records what the static routes served. */
    public static class Assets extends Dispatcher {
        final List<String> served = new CopyOnWriteArrayList<>();

        @LoopRoute("/assets/dynamic")
        public void dynamic(Exchange client) {
            client.respond(Map.of("from", "sync"));
        }

        @Override
        protected void onStaticServed(Exchange client, String path, int status) {
            served.add(path + " " + status);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void headersFallThroughAndTheHook(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.js"), "js");
        Assets d = new Assets();
        d.address("127.0.0.1").port(0).classDataArchives(null)
                .staticRoute("/assets/", dir, StaticOptions.defaults().header("Cache-Control", "max-age=86400").fallThrough(true))
                .staticRoute("/strict/", dir)
                .start();
        try {
            HttpResponse<String> file = get(d.port(), "/assets/app.js");
            assertEquals(200, file.statusCode());
            assertEquals("max-age=86400", file.headers().firstValue("Cache-Control").orElse(null));
            assertEquals("{\"from\":\"sync\"}", get(d.port(), "/assets/dynamic").body(), "a miss falls through");
            assertEquals(404, get(d.port(), "/strict/dynamic").statusCode(), "authoritative by default");
            // The hook runs on the loop after the answer is written: the client may see the answer first.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> d.served.equals(List.of("/assets/app.js 200", "/strict/dynamic 404")));
        } finally {
            d.stop();
        }
        assertThrows(IllegalArgumentException.class, () -> StaticOptions.defaults().header("X", "a\r\nb"));
    }
}
