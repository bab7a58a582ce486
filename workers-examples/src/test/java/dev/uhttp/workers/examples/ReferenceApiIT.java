package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's later-reference features from its command line: an NDJSON stream of primes,
 * {@code whoami} behind a trusted proxy, and the admin routes only on the admin listener.
 */
class ReferenceApiIT {
    private static final Pattern ADMIN = Pattern.compile("dispatcher: listening on (http://\\S+) \\(listener admin\\)");

    @Test
    void primesWhoamiAndTheAdminListener(@TempDir Path tmp) throws java.io.IOException {
        String modulePath = Artifacts.jar() + File.pathSeparator + Artifacts.libDirectory();
        List<String> command = new ArrayList<>(List.of(Artifacts.java(), "-p", modulePath, "-m", "uhttp.workers.examples/dev.uhttp.workers.examples.Main",
                "--port", "0", "--data-dir", tmp.resolve("data").toString(), "--admin-port", "0",
                "--trusted-proxy", "127.0.0.1"));
        try (ExampleProcess example = ExampleProcess.start("reference-api", command,
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()))) {
            URI base = example.awaitListening();
            HttpJson http = new HttpJson(base);
            await("the admin listener's line").atMost(Duration.ofSeconds(10))
                    .until(() -> ADMIN.matcher(java.nio.file.Files.readString(example.log())).find());
            Matcher m = ADMIN.matcher(java.nio.file.Files.readString(example.log()));
            assertTrue(m.find());
            HttpJson admin = new HttpJson(URI.create(m.group(1)));

            await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/api/compute/whoami", HttpJson.KEY).status() == 200);
            HttpJson.Reply primes = http.get("/api/compute/primes?limit=30", HttpJson.KEY);
            assertEquals(200, primes.status(), primes::toString);
            assertEquals("application/x-ndjson", primes.header("Content-Type"));
            StringBuilder expected = new StringBuilder();
            for (int p : new int[] {2, 3, 5, 7, 11, 13, 17, 19, 23, 29}) {
                expected.append("{\"prime\":").append(p).append("}\n");
            }
            assertEquals(expected.toString(), primes.body());
            assertEquals(400, http.get("/api/compute/primes?limit=x", HttpJson.KEY).status());

            HttpJson.Reply who = http.get("/api/compute/whoami", HttpJson.KEY[0], HttpJson.KEY[1],
                    "X-Forwarded-For", "6.6.6.6, 198.51.100.7", "X-Forwarded-Proto", "https");
            assertEquals("198.51.100.7", who.json().path("remote").asText(), who::toString);
            assertTrue(who.json().path("secure").asBoolean());

            assertEquals(404, http.get("/health").status(), "admin routes are not on the public listener");
            assertEquals(200, admin.get("/health").status());
            assertEquals(404, http.post("/admin/pools/compute/size", "{\"workers\": 4}", HttpJson.KEY).status());
            assertEquals(404, http.get("/metrics").status(), "the metrics are not on the public listener");
            HttpJson.Reply metrics = admin.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.body().contains("uhttp_requests_total"), metrics::toString);
            example.rememberWorkerPids(ExampleRunChecks.workerPids(admin.get("/health").json()));
            assertEquals(0, example.terminate(), example::diagnostics);
        }
    }
}
