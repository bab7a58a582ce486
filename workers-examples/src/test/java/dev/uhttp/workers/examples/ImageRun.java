package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every route of the simple example, through the image's launcher: what {@code ImageIT} runs with each IPC provider. */
abstract class ImageRun extends ExampleRunChecks {

    @Override
    String name() {
        return "image-" + ipc();
    }

    @Override
    List<String> launcher() {
        return List.of(ImageIT.launcher());
    }

    /** The access log: JSON, next to the data directory. */
    Path accessLog() {
        return javaTmp.getParent().resolve("access.log");
    }

    @Override
    List<String> extraArguments() {
        return List.of("--access-log", accessLog().toString(), "--access-log-format", "json",
                "--slow-request-ms", "400");
    }

    /** The slowlog names the busy method; the access log has the request; SIGUSR1 reopens it after a move. */
    @Test
    void slowRequestStackAccessLogAndSigusr1Reopen() throws Exception {
        String rid = "busy-" + ipc();
        assertEquals(200, http.get("/api/compute/busy/1200", "x-api-key", "demo-key-1", "X-Request-Id", rid).status());
        await("the slowlog").atMost(Duration.ofSeconds(20)).until(() -> {
            String log = Files.readString(example.log());
            int at = log.indexOf("slow request");
            return at >= 0 && log.indexOf("[rid=" + rid + "] GET /api/compute/busy/1200", at) > 0
                    && log.indexOf("burnCpuBusyLoop", at) > 0;
        });
        String slowlog = Files.readString(example.log());
        java.util.regex.Matcher frame = java.util.regex.Pattern.compile("ComputeWorker\\.burnCpuBusyLoop\\((.*?)\\)")
                .matcher(slowlog.substring(slowlog.indexOf("slow request")));
        assertTrue(frame.find(), slowlog);
        assertTrue(frame.group(1).startsWith("ComputeWorker.java:"), "the image keeps line numbers: " + frame.group());
        await("the access log line").atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(accessLog()).contains("\"request_id\":\"" + rid + "\""));
        Path rotated = accessLog().resolveSibling("access.log.1");
        Files.move(accessLog(), rotated);
        example.signal("USR1");
        await("a new file at the path").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(accessLog()));
        String after = "after-usr1-" + ipc();
        assertEquals(200, http.get("/health", "X-Request-Id", after).status());
        await("new lines in the new file").atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(accessLog()).contains(after));
        assertFalse(Files.readString(rotated).contains(after));
    }

    @Override
    Map<String, String> environment() {
        Map<String, String> env = super.environment();
        env.put("JAVA_HOME", null); // the image needs no JDK
        env.put("WORKERS_IPC", null);
        return env;
    }

    @Test
    void workersRunOnTheImagesOwnJava() {
        Path java = Artifacts.image().resolve("bin/java").toAbsolutePath().normalize();
        for (long pid : workerPids(health())) {
            String command = commandLine(pid);
            assertTrue(command.startsWith(java + " "), command);
            assertTrue(command.contains("uhttp.workers.worker/dev.uhttp.workers.worker.WorkerMain"), command);
        }
    }

    @Test
    void poolRoutesNeedAnApiKey() {
        List<String[]> requests = List.of(
                new String[] {"GET", "/api/compute/factorial/5", null},
                new String[] {"POST", "/api/compute/echo", "{\"a\":1}"},
                new String[] {"GET", "/api/items", null},
                new String[] {"POST", "/api/items", "{\"name\":\"sneaky\"}"},
                new String[] {"GET", "/api/item/1", null},
                new String[] {"DELETE", "/api/item/1", null});
        for (String[] r : requests) {
            for (String[] key : List.of(new String[0], new String[] {"x-api-key", "demo-key-3"},
                    new String[] {"x-api-key", ""}, new String[] {"x-api-key", "DEMO-KEY-1"})) {
                HttpJson.Reply reply = http.send(r[0], r[1], r[2], key);
                assertEquals(401, reply.status(), () -> r[0] + " " + r[1] + " " + List.of(key) + ": " + reply);
                assertEquals("unauthorized", reply.json().path("error").asText());
                assertNull(reply.header("X-Worker"), "answered by the dispatcher");
            }
        }
        assertEquals(200, http.get("/api/compute/factorial/5", HttpJson.OTHER_KEY).status());
        assertEquals(200, http.get("/api/items", HttpJson.OTHER_KEY).status());
        // Sync handlers and static files are not checked.
        assertEquals(200, http.get("/health").status());
        assertEquals(200, http.get("/version").status());
        assertEquals(200, http.get("/static/app.js").status());
    }

    @Test
    void rootRedirectsToTheDemoPage() {
        HttpJson.Reply reply = http.get("/");
        assertEquals(302, reply.status(), reply::toString);
        assertEquals("/static/index.html", reply.header("Location"));
    }

    @Test
    void healthReportsEveryWorkerOfBothPools() {
        JsonNode health = health();
        assertEquals("ok", health.path("status").asText());
        assertTrue(health.path("pending").isInt(), health::toString);
        Map<String, JsonNode> pools = new LinkedHashMap<>();
        health.path("pools").forEach(p -> pools.put(p.path("name").asText(), p));
        assertEquals(List.of("compute", "storage"), List.copyOf(pools.keySet()));
        POOL_SIZES.forEach((name, size) -> {
            JsonNode pool = pools.get(name);
            assertFalse(pool.path("degraded").asBoolean(), pool::toString);
            assertEquals(size, pool.path("workers").size(), pool::toString);
            for (int id = 0; id < size; id++) {
                JsonNode w = pool.path("workers").get(id);
                assertEquals(id, w.path("id").asInt(), w::toString);
                assertTrue(w.path("pid").asLong() > 0, w::toString);
                assertTrue(w.path("alive").asBoolean(), w::toString);
                assertTrue(w.path("ready").asBoolean(), w::toString);
                assertTrue(w.path("secondsSinceHeartbeat").asDouble() >= 0, w::toString);
                assertTrue(w.path("currentRequests").isArray(), w::toString);
                assertEquals(0, w.path("restarts").asInt(), w::toString);
            }
        });
    }

    @Test
    void versionIsTheProjectVersion() {
        HttpJson.Reply reply = http.get("/version");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(Artifacts.version(), reply.json().path("version").asText());
    }

    @Test
    void staticFilesAreServedFromInsideTheImage() {
        Map<String, String> types = Map.of("index.html", "text/html", "app.js", "javascript", "style.css", "text/css");
        types.forEach((file, type) -> {
            HttpJson.Reply reply = http.get("/static/" + file);
            assertEquals(200, reply.status(), file + ": " + reply);
            assertTrue(reply.header("Content-Type").contains(type), file + ": " + reply.header("Content-Type"));
            assertFalse(reply.body().isEmpty(), file);
        });
        assertTrue(http.get("/static/app.js").body().contains("refreshPools"));
        assertEquals(404, http.get("/static/missing.html").status());
        for (String escape : List.of("/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                "/static/..%2f..%2fetc/passwd")) {
            HttpJson.Reply reply = http.get(escape);
            assertTrue(reply.status() == 400 || reply.status() == 404, escape + ": " + reply);
            assertFalse(reply.body().contains("root:"), escape);
        }
    }

    @Test
    void factorial() {
        Map<Integer, BigInteger> expected = new LinkedHashMap<>();
        BigInteger f = BigInteger.ONE;
        for (int n = 0; n <= 1000; n++) {
            if (n > 0) {
                f = f.multiply(BigInteger.valueOf(n));
            }
            if (n == 0 || n == 1 || n == 20 || n == 21 || n == 1000) {
                expected.put(n, f);
            }
        }
        assertEquals(new BigInteger("2432902008176640000"), expected.get(20));
        expected.forEach((n, value) -> {
            HttpJson.Reply reply = http.get("/api/compute/factorial/" + n, HttpJson.KEY);
            assertEquals(200, reply.status(), reply::toString);
            assertEquals(n, reply.json().path("n").asInt());
            assertEquals(value.toString(), reply.json().path("factorial").asText());
        });
        for (String n : List.of("-1", "1001", "-1000", "2147483647")) {
            HttpJson.Reply reply = http.get("/api/compute/factorial/" + n, HttpJson.KEY);
            assertEquals(400, reply.status(), n + ": " + reply);
            assertTrue(reply.json().path("error").asText().contains("between 0 and 1000"), reply::toString);
        }
        assertEquals(404, http.get("/api/compute/factorial/ten", HttpJson.KEY).status());
        assertEquals(404, http.get("/api/compute/factorial/1.5", HttpJson.KEY).status());
    }

    @Test
    void echo() {
        String data = "{\"text\":\"h\\u00e9llo\",\"list\":[1,2.5,null,true,{\"nested\":\"yes\"}]}";
        HttpJson.Reply reply = http.post("/api/compute/echo", data, HttpJson.KEY);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(HttpJson.JSON.createObjectNode().set("echo", parse(data)), reply.json());
        HttpJson.Reply scalar = http.post("/api/compute/echo", "42", HttpJson.KEY);
        assertEquals(42, scalar.json().path("echo").asInt(), scalar::toString);
        assertEquals(400, http.post("/api/compute/echo", "{not json", HttpJson.KEY).status());
        assertEquals(405, http.get("/api/compute/echo", HttpJson.KEY).status());
    }

    @Test
    void itemsCreateListGetDelete() {
        String name = "crud " + UUID.randomUUID();
        HttpJson.Reply created = http.post("/api/items", HttpJson.json(Map.of("name", name)), HttpJson.KEY);
        assertEquals(201, created.status(), created::toString);
        long id = created.json().path("id").asLong();
        assertEquals(name, created.json().path("name").asText());
        assertEquals("/api/item/" + id, created.header("Location"));

        HttpJson.Reply list = http.get("/api/items", HttpJson.KEY);
        assertEquals(200, list.status(), list::toString);
        assertTrue(names(list.json()).contains(name), list::toString);

        HttpJson.Reply got = http.get("/api/item/" + id, HttpJson.KEY);
        assertEquals(200, got.status(), got::toString);
        assertEquals(id, got.json().path("id").asLong());
        assertEquals(name, got.json().path("name").asText());

        HttpJson.Reply deleted = http.delete("/api/item/" + id, HttpJson.KEY);
        assertEquals(200, deleted.status(), deleted::toString);
        assertEquals(id, deleted.json().path("deleted").asLong());

        HttpJson.Reply gone = http.get("/api/item/" + id, HttpJson.KEY);
        assertEquals(404, gone.status(), gone::toString);
        assertTrue(gone.json().path("error").asText().contains("not found"), gone::toString);
        assertEquals(404, http.delete("/api/item/" + id, HttpJson.KEY).status());
        assertFalse(names(http.get("/api/items", HttpJson.KEY).json()).contains(name));

        assertEquals(404, http.get("/api/item/999999999", HttpJson.KEY).status());
        assertEquals(404, http.get("/api/item/abc", HttpJson.KEY).status());
        for (String bad : List.of("{}", "{\"name\":\"\"}", "{\"name\":42}", "[]", "not json")) {
            HttpJson.Reply reply = http.post("/api/items", bad, HttpJson.KEY);
            assertEquals(400, reply.status(), bad + ": " + reply);
        }
    }

    @Test
    void everyRequestSeesTheItemsOfTheOthersWhicheverStorageWorkerAnswers() {
        Set<String> writers = new HashSet<>();
        Set<String> readers = new HashSet<>();
        List<String> created = new ArrayList<>();
        int[] rounds = {0};
        int[] crossReads = {0};
        // Which worker answers is the dispatcher's choice: go on until both workers have written and
        // read, and one has read what the other wrote (at least 10 rounds). Every read must succeed.
        await("both storage workers writing and reading each other's items").atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                    int round = rounds[0]++;
                    List<CompletableFuture<HttpJson.Reply>> posts = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    // Odd rounds: two writers at once, so that both workers are busy.
                    for (int i = 0; i < (round % 2 == 0 ? 1 : 2); i++) {
                        String name = "shared " + round + "." + i + " " + UUID.randomUUID();
                        names.add(name);
                        posts.add(http.sendAsync("POST", "/api/items", HttpJson.json(Map.of("name", name)), HttpJson.KEY));
                    }
                    for (int i = 0; i < posts.size(); i++) {
                        HttpJson.Reply post = posts.get(i).get(60, TimeUnit.SECONDS);
                        assertEquals(201, post.status(), post::toString);
                        created.add(names.get(i));
                        long id = post.json().path("id").asLong();
                        HttpJson.Reply get = http.get("/api/item/" + id, HttpJson.KEY);
                        assertEquals(200, get.status(), () -> "item " + id + " created by " + post.header("X-Worker")
                                + ", asked " + get.header("X-Worker") + ": " + get);
                        assertEquals(names.get(i), get.json().path("name").asText());
                        writers.add(worker(post));
                        readers.add(worker(get));
                        if (!worker(post).equals(worker(get))) {
                            crossReads[0]++;
                        }
                    }
                    if (round % 5 == 4) {
                        HttpJson.Reply list = http.get("/api/items", HttpJson.KEY);
                        assertTrue(names(list.json()).containsAll(created), list::toString);
                    }
                    return rounds[0] >= 10 && writers.size() == 2 && readers.size() == 2 && crossReads[0] > 0;
                });
        assertEquals(Set.of("storage[0]", "storage[1]"), writers);
        assertEquals(Set.of("storage[0]", "storage[1]"), readers);
        assertTrue(names(http.get("/api/items", HttpJson.KEY).json()).containsAll(created));
    }

    @Test
    void concurrentWritersAndReadersAgree() throws Exception {
        List<CompletableFuture<HttpJson.Reply>> posts = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String name = "concurrent " + i + " " + UUID.randomUUID();
            created.add(name);
            posts.add(http.sendAsync("POST", "/api/items", HttpJson.json(Map.of("name", name)), HttpJson.KEY));
        }
        Set<Long> ids = new HashSet<>();
        for (CompletableFuture<HttpJson.Reply> f : posts) {
            HttpJson.Reply reply = f.get(60, TimeUnit.SECONDS);
            assertEquals(201, reply.status(), reply::toString);
            assertTrue(ids.add(reply.json().path("id").asLong()), "ids are unique: " + reply);
        }
        List<CompletableFuture<HttpJson.Reply>> gets = new ArrayList<>();
        for (long id : ids) {
            gets.add(http.sendAsync("GET", "/api/item/" + id, null, HttpJson.KEY));
        }
        for (CompletableFuture<HttpJson.Reply> f : gets) {
            HttpJson.Reply reply = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, reply.status(), reply::toString);
        }
        assertTrue(names(http.get("/api/items", HttpJson.KEY).json()).containsAll(created));
    }

    /** Day two: SIGHUP replaces every worker, the admin route resizes a pool; every request is answered. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1)
    void sighupReloadsEveryWorkerAndTheAdminRouteResizes() {
        List<Long> before = workerPids(health());
        example.signal("HUP");
        await("every worker replaced after SIGHUP").atMost(READY_TIMEOUT).until(() -> {
            JsonNode h = health();
            assertEquals(200, http.get("/api/compute/factorial/5", HttpJson.KEY).status());
            return allWorkersReady(h) && workerPids(h).stream().noneMatch(before::contains);
        });
        example.rememberWorkerPids(workerPids(health()));
        for (JsonNode pool : health().path("pools")) {
            for (JsonNode w : pool.path("workers")) {
                assertEquals(1, w.path("generation").asInt(), w::toString);
            }
        }
        String body = HttpJson.json(Map.of("workers", 5));
        assertEquals(401, http.post("/admin/pools/compute/size", body).status(), "the admin route needs the key");
        assertEquals(404, http.post("/admin/pools/nope/size", body, HttpJson.KEY).status());
        assertEquals(400, http.post("/admin/pools/compute/size", "{\"workers\": 0}", HttpJson.KEY).status());
        assertEquals(200, http.post("/admin/pools/compute/size", body, HttpJson.KEY).status());
        await("5 compute workers").atMost(READY_TIMEOUT).until(() -> activeReady(health(), "compute") == 5);
        example.rememberWorkerPids(workerPids(health()));
        assertEquals(200, http.post("/admin/pools/compute/size", HttpJson.json(Map.of("workers", 4)), HttpJson.KEY)
                .status());
        await("back to 4 compute workers").atMost(READY_TIMEOUT).until(() -> allWorkersReady(health()));
    }

    static int activeReady(JsonNode health, String pool) {
        int n = 0;
        for (JsonNode p : health.path("pools")) {
            if (p.path("name").asText().equals(pool)) {
                for (JsonNode w : p.path("workers")) {
                    n += w.path("role").asText().equals("active") && w.path("ready").asBoolean() ? 1 : 0;
                }
            }
        }
        return n;
    }

    @Test
    void computeResultsAreForwardedToTheStoragePool() {
        HttpJson.Reply factorial = http.get("/api/compute/factorial/12", HttpJson.KEY);
        assertEquals(200, factorial.status(), factorial::toString);
        String expected = "result: " + factorial.body();
        assertTrue(expected.contains("479001600"), expected);

        String marker = UUID.randomUUID().toString();
        HttpJson.Reply echo = http.post("/api/compute/echo", HttpJson.json(Map.of("marker", marker)), HttpJson.KEY);
        assertEquals(200, echo.status(), echo::toString);

        HttpJson.Reply rejected = http.get("/api/compute/factorial/-5", HttpJson.KEY);
        assertEquals(400, rejected.status());

        await("forwarded results stored").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> names = names(http.get("/api/items", HttpJson.KEY).json());
            assertTrue(names.contains(expected), () -> expected + " in " + names);
            assertTrue(names.contains("result: " + echo.body()), () -> echo.body() + " in " + names);
        });
        // Only successful results are forwarded.
        List<String> names = names(http.get("/api/items", HttpJson.KEY).json());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("result: ") && n.contains("got -5")), names::toString);
    }

    static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    /** "storage[1]" of "storage[1] pid 4242". */
    static String worker(HttpJson.Reply reply) {
        String header = reply.header("X-Worker");
        assertTrue(header != null && header.contains(" pid "), () -> "X-Worker of " + reply);
        assertNotEquals("", header);
        return header.substring(0, header.indexOf(" pid "));
    }

    static JsonNode parse(String json) {
        try {
            return HttpJson.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
