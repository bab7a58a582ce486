package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One started example per test class: started in {@link #startExample}, checked by the tests, and
 * stopped with SIGTERM by the last test. Subclasses say how to launch it; this class checks what every
 * way of running it must do: listen, run both pools (a factorial through a compute worker, an item
 * through the SQLite-backed storage workers), serve the demo page, and stop cleanly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ExampleRunChecks {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Map<String, Integer> POOL_SIZES = Map.of("compute", 4, "storage", 2);

    protected ExampleProcess example;
    protected HttpJson http;
    protected URI base;
    protected Path dataDir;
    protected Path javaTmp;
    protected Path cacheHome;

    /** A name for the logs. */
    abstract String name();

    /** The command up to the example's own arguments. */
    abstract List<String> launcher();

    /** The IPC provider to ask for with {@code --ipc}, or null for the default. */
    String ipc() {
        return null;
    }

    /** The provider the example must report using, or null when any is right. */
    String expectedIpc() {
        return ipc();
    }

    /** Environment changes for the process (null values remove a variable). */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        // A private temporary directory, to check that the example leaves nothing behind in it.
        env.put("JDK_JAVA_OPTIONS", "-Djava.io.tmpdir=" + javaTmp);
        // A fresh cache: every run trains its own class data archives (and leaves none in ~/.cache).
        env.put("XDG_CACHE_HOME", cacheHome.toString());
        return env;
    }

    /** More arguments for the example (after {@code --port} and {@code --data-dir}). */
    List<String> extraArguments() {
        return List.of();
    }

    @BeforeAll
    void startExample(@TempDir Path tmp) throws IOException {
        dataDir = tmp.resolve("data");
        javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        cacheHome = tmp.resolve("cache");
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("--port", "0", "--data-dir", dataDir.toString()));
        if (ipc() != null) {
            command.addAll(List.of("--ipc", ipc()));
        }
        command.addAll(extraArguments());
        example = ExampleProcess.start(name(), command, environment());
        base = example.awaitListening();
        http = new HttpJson(base);
        await("every worker of " + name() + " ready").atMost(READY_TIMEOUT).until(() -> allWorkersReady(health()));
        example.rememberWorkerPids(workerPids(health()));
    }

    @AfterAll
    void killLeftovers() {
        if (example != null) {
            example.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    JsonNode health() {
        HttpJson.Reply reply = http.get("/health");
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    static boolean allWorkersReady(JsonNode health) {
        int pools = 0;
        for (JsonNode pool : health.path("pools")) {
            Integer size = POOL_SIZES.get(pool.path("name").asText());
            if (size == null || pool.path("workers").size() != size) {
                return false;
            }
            for (JsonNode w : pool.path("workers")) {
                if (!w.path("alive").asBoolean() || !w.path("ready").asBoolean() || w.path("pid").asLong() <= 0) {
                    return false;
                }
            }
            pools++;
        }
        return pools == POOL_SIZES.size();
    }

    static List<Long> workerPids(JsonNode health) {
        List<Long> pids = new ArrayList<>();
        for (JsonNode pool : health.path("pools")) {
            for (JsonNode w : pool.path("workers")) {
                if (w.path("pid").asLong() > 0) {
                    pids.add(w.path("pid").asLong());
                }
            }
        }
        return pids;
    }

    /** The command line of a running process, or empty when unknown. */
    static String commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command().map(c -> c + " "
                + String.join(" ", p.info().arguments().orElse(new String[0])))).orElse("");
    }

    JsonNode createItem(String name, String... key) {
        HttpJson.Reply reply = http.post("/api/items", HttpJson.json(Map.of("name", name)), key.length > 0 ? key : HttpJson.KEY);
        assertEquals(201, reply.status(), reply::toString);
        JsonNode item = reply.json();
        assertEquals(name, item.path("name").asText());
        assertTrue(item.path("id").asLong() > 0, reply::toString);
        return item;
    }

    private String readLog() {
        try {
            return Files.readString(example.log());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ checks

    @Test
    @Order(1)
    void logsOneLineWithWhereItListensAndTheProvider() {
        assertEquals("http", base.getScheme());
        assertEquals("127.0.0.1", base.getHost());
        assertTrue(base.getPort() > 0, base::toString);
        if (expectedIpc() != null) {
            assertEquals(expectedIpc(), example.ipc());
        } else {
            assertTrue(Set.of("pipe", "unixsocket").contains(example.ipc()), example.ipc());
        }
        assertEquals(List.of(), example.stdout(), "nothing on stdout: the log says where it listens");
        assertEquals(1, ExampleProcess.LISTENING.matcher(readLog()).results().count(), this::readLog);
        assertTrue(readLog().lines().filter(l -> l.contains("listening on")).count() == 1, this::readLog);
    }

    @Test
    @Order(2)
    void healthListsBothPoolsWithLiveWorkers() {
        JsonNode health = health();
        assertEquals("ok", health.path("status").asText());
        List<Long> pids = workerPids(health);
        assertEquals(6, pids.size(), health::toString);
        assertEquals(6, pids.stream().distinct().count(), health::toString);
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " runs");
        }
    }

    @Test
    void factorialThroughAComputeWorker() {
        HttpJson.Reply reply = http.get("/api/compute/factorial/20", HttpJson.KEY);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("2432902008176640000", reply.json().path("factorial").asText());
        assertTrue(reply.header("X-Worker").startsWith("compute["), reply.header("X-Worker"));
    }

    @Test
    void aFileHandedBackByAComputeWorker() {
        HttpJson.Reply hello = http.get("/api/compute/file/hello.txt", HttpJson.KEY);
        assertEquals(200, hello.status(), hello::toString);
        assertTrue(hello.body().startsWith("Hello from a file"), hello::toString);
        assertEquals("text/plain; charset=utf-8", hello.header("Content-Type"));
        assertTrue(hello.header("X-Worker").startsWith("compute["), hello.header("X-Worker"));
        HttpJson.Reply part = http.get("/api/compute/file/squares.csv", "x-api-key", "demo-key-1", "Range", "bytes=0-7");
        assertEquals(206, part.status(), part::toString);
        assertEquals("n,square", part.body());
        assertEquals(404, http.get("/api/compute/file/missing.txt", HttpJson.KEY).status());
        assertEquals(404, http.get("/api/compute/file/..%2F..%2Fetc%2Fpasswd", HttpJson.KEY).status());
    }

    @Test
    void sha256OfAnUploadStreamedThroughAComputeWorker() throws Exception {
        String body = "0123456789abcdef".repeat(3 << 16); // 3 MiB: over maxContentLength, so it streams
        HttpJson.Reply reply = http.post("/api/compute/sha256", body, HttpJson.KEY);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(body.length(), reply.json().path("bytes").asLong());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))), reply.json().path("sha256").asText());
    }

    @Test
    void itemsThroughTheSqliteStorageWorkers() {
        String name = "item " + UUID.randomUUID();
        JsonNode item = createItem(name);
        HttpJson.Reply got = http.get("/api/item/" + item.path("id").asLong(), HttpJson.KEY);
        assertEquals(200, got.status(), got::toString);
        assertEquals(name, got.json().path("name").asText());
        assertTrue(Files.isRegularFile(dataDir.resolve("items.db")), "the database is in --data-dir");
    }

    @Test
    void servesTheDemoPageWithoutAnApiKey() {
        HttpJson.Reply redirect = http.get("/");
        assertEquals(302, redirect.status(), redirect::toString);
        assertEquals("/static/index.html", redirect.header("Location"));
        HttpJson.Reply page = http.get("/static/index.html");
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("id=\"btn-health\""), "the demo page");
    }

    /** Runs late: it restarts a worker, which the other checks do not expect (before the image's reload). */
    @Test
    @Order(Integer.MAX_VALUE - 2)
    void aRestartedWorkerMapsItsPoolsClassDataArchive() throws IOException {
        Path archives = cacheHome.resolve("uhttp-workers/cds");
        await("class data archives of both pools").atMost(Duration.ofSeconds(90)).until(() ->
                Files.readString(example.log()).split("class data archive for pool", -1).length - 1 == POOL_SIZES.size());
        List<Path> files;
        try (Stream<Path> list = Files.list(archives)) {
            files = list.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
        assertEquals(POOL_SIZES.size(), files.size(), files::toString);

        long old = workerPid(health(), "compute", 0);
        assertFalse(commandLine(old).contains("-XX:SharedArchiveFile"), "launched before the archive existed");
        ProcessHandle.of(old).ifPresent(ProcessHandle::destroyForcibly);
        await("compute worker 0 restarted").atMost(READY_TIMEOUT).until(() -> {
            long pid = workerPid(health(), "compute", 0);
            return pid > 0 && pid != old && allWorkersReady(health());
        });
        long restarted = workerPid(health(), "compute", 0);
        example.rememberWorkerPids(List.of(restarted));
        String command = commandLine(restarted);
        assertTrue(command.contains("-XX:SharedArchiveFile=" + archives), command);
        // Mapped, so the JVM accepted it (a rejected archive is dropped silently).
        String maps = Files.readString(Path.of("/proc/" + restarted + "/maps"));
        assertTrue(files.stream().anyMatch(f -> maps.contains(f.getFileName().toString())), "no archive mapped by " + command);
        HttpJson.Reply factorial = http.get("/api/compute/factorial/10", HttpJson.KEY);
        assertEquals(200, factorial.status(), factorial::toString);
    }

    static long workerPid(JsonNode health, String pool, int id) {
        for (JsonNode p : health.path("pools")) {
            if (p.path("name").asText().equals(pool)) {
                for (JsonNode w : p.path("workers")) {
                    if (w.path("id").asInt() == id && w.path("alive").asBoolean()) {
                        return w.path("pid").asLong();
                    }
                }
            }
        }
        return -1;
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void stopsWithExitStatusZeroOnSigtermLeavingNoWorkers() throws IOException {
        List<Long> pids = workerPids(health());
        example.rememberWorkerPids(pids);
        assertEquals(6, pids.size());
        int status = example.terminate();
        assertEquals(0, status, example::diagnostics);
        await("worker JVMs gone").atMost(Duration.ofSeconds(10)).until(() ->
                pids.stream().noneMatch(pid -> ProcessHandle.of(pid).filter(ExampleProcess::isWorkerJvm).isPresent()));
        // The demo page's copy and the default data directory are deleted on exit.
        try (Stream<Path> left = Files.list(javaTmp)) {
            List<Path> ours = left.filter(p -> p.getFileName().toString().startsWith("workers-example-")).toList();
            assertTrue(ours.isEmpty(), () -> "left behind: " + ours);
        }
        // No JVM warnings (e.g. JDK 24+'s about a library's use of sun.misc.Unsafe).
        List<String> warnings = Files.readAllLines(example.log()).stream()
                .filter(l -> l.startsWith("WARNING:") || l.contains("terminally deprecated")).toList();
        assertTrue(warnings.isEmpty(), () -> "JVM warnings: " + warnings);
        // --data-dir is the user's: kept.
        assertTrue(Files.isRegularFile(dataDir.resolve("items.db")));
        assertFalse(example.isAlive());
    }
}
