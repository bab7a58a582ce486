package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.dispatcher.http.RawClient;
import dev.uhttp.workers.dispatcher.http.SelfSignedCertificate;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files handed back to the dispatcher ({@code Response.file}), end to end over both IPC providers:
 * the bytes, HEAD, 304, ranges, keep-alive and pipelining after a file, TLS, and the file roots that
 * keep a worker from reading anything else. One dispatcher per provider, shared by the tests.
 */
class HandedBackFileTest {
    private static final Map<String, FilesDispatcher> DISPATCHERS = new ConcurrentHashMap<>();
    private static final String LAST_MODIFIED = "Thu, 02 Jan 2020 03:04:05 GMT";

    @TempDir
    static Path tmp;
    static Path root;
    static byte[] data;
    static SelfSignedCertificate certificate;

    /** Captures log records; answers a sync route with a file too. */
    public static class FilesDispatcher extends Dispatcher {
        final Queue<String> logs = new ConcurrentLinkedQueue<>();

        @Override
        protected void onLog(String name, LogLevel level, String message) {
            logs.add(level + " " + name + " " + message);
            super.onLog(name, level, message);
        }

        @LoopRoute("/sync/notes")
        public void notes(Exchange client) {
            client.respond(Response.file(root.resolve("notes.txt")).header("Cache-Control", "no-store"));
        }
    }

    @BeforeAll
    static void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        data = new byte[3_000_000];
        new Random(15).nextBytes(data);
        Files.write(root.resolve("data.bin"), data);
        Files.setLastModifiedTime(root.resolve("data.bin"), FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        Files.writeString(root.resolve("notes.txt"), "notes");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("x.txt"), "outside");
        Path sibling = Files.createDirectories(tmp.resolve("root-sibling"));
        Files.writeString(sibling.resolve("x.txt"), "sibling");
        Files.createSymbolicLink(root.resolve("link-out.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dir-out"), outside);
        Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("notes.txt"));
        certificate = SelfSignedCertificate.generate(Files.createDirectories(tmp.resolve("tls")));
    }

    @AfterAll
    static void stopAll() {
        DISPATCHERS.values().forEach(Dispatcher::stop);
        DISPATCHERS.clear();
    }

    static FilesDispatcher dispatcher(String ipc) {
        return DISPATCHERS.computeIfAbsent(ipc, name -> {
            FilesDispatcher d = new FilesDispatcher();
            d.address("127.0.0.1").port(0).ipc(name).classDataArchives(null)
                    .listener("tls", "127.0.0.1", 0, certificate.server)
                    .pool(WorkerPool.of(FileWorkers.FileWorker.class).name("files").routes("/f/**").fileRoots(root))
                    .start();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> RawClient.get(d.port(), "/f/ping").status == 200);
            return d;
        });
    }

    static String give(Path file) {
        return give(file.toString());
    }

    static String give(String path) {
        return "/f/give?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    static RawClient.Response get(Dispatcher d, String target, String... headers) throws Exception {
        try (RawClient c = new RawClient(d.port())) {
            return c.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n" + String.join("", headers) + "\r\n").read();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void getHeadAndNotModified(String ipc) throws Exception {
        FilesDispatcher d = dispatcher(ipc);
        RawClient.Response r = get(d, give(root.resolve("data.bin")));
        assertEquals(200, r.status);
        assertArrayEquals(data, r.body);
        assertEquals("application/octet-stream", r.header("content-type"));
        assertEquals(LAST_MODIFIED, r.header("last-modified"));
        assertEquals("bytes", r.header("accept-ranges"));

        RawClient.Response typed = get(d, give(root.resolve("notes.txt")) + "&type=text/x-notes&name=n.txt");
        assertEquals("notes", typed.text());
        assertEquals("text/x-notes", typed.header("content-type"), "the worker's Content-Type wins");
        assertEquals("attachment; filename=\"n.txt\"", typed.header("content-disposition"));
        assertEquals("text/plain; charset=utf-8", get(d, give(root.resolve("notes.txt"))).header("content-type"));
        assertEquals("notes", get(d, give(root.resolve("link-in.txt"))).text(), "a symlink that stays inside");
        assertEquals("notes", get(d, give(root + "/sub/../notes.txt")).text(), "a .. that stays inside");

        try (RawClient c = new RawClient(d.port())) {
            RawClient.Response head = c.send("HEAD " + give(root.resolve("data.bin")) + " HTTP/1.1\r\nHost: t\r\n\r\n")
                    .read(true);
            assertEquals(200, head.status);
            assertEquals(String.valueOf(data.length), head.header("content-length"));
            assertEquals(LAST_MODIFIED, head.header("last-modified"));
            // No body came with the HEAD answer: the next answer on the connection is read cleanly.
            assertEquals(200, c.send("GET /f/ping HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
        }
        RawClient.Response notModified = get(d, give(root.resolve("data.bin")), "If-Modified-Since: " + LAST_MODIFIED + "\r\n");
        assertEquals(304, notModified.status);
        assertEquals(0, notModified.body.length);
        assertEquals(200, get(d, give(root.resolve("data.bin")),
                "If-Modified-Since: Thu, 02 Jan 2020 03:04:04 GMT\r\n").status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void ranges(String ipc) throws Exception {
        FilesDispatcher d = dispatcher(ipc);
        String target = give(root.resolve("data.bin"));
        int n = data.length;
        assertRange(d, target, "bytes=0-0", 0, 0);
        assertRange(d, target, "bytes=1000-1999999", 1000, 1_999_999);
        assertRange(d, target, "bytes=-1000", n - 1000, n - 1);
        assertRange(d, target, "bytes=2999000-", 2_999_000, n - 1);
        RawClient.Response unsatisfiable = get(d, target, "Range: bytes=" + n + "-\r\n");
        assertEquals(416, unsatisfiable.status);
        assertEquals("bytes */" + n, unsatisfiable.header("content-range"));
        RawClient.Response several = get(d, target, "Range: bytes=0-1,3-4\r\n");
        assertEquals(200, several.status, "several ranges are answered with the whole file");
        assertArrayEquals(data, several.body);
    }

    private static void assertRange(Dispatcher d, String target, String range, int first, int last) throws Exception {
        RawClient.Response r = get(d, target, "Range: " + range + "\r\n");
        assertEquals(206, r.status, range);
        assertEquals("bytes " + first + "-" + last + "/" + data.length, r.header("content-range"), range);
        assertArrayEquals(Arrays.copyOfRange(data, first, last + 1), r.body, range);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void keepAliveAndPipelinedRequestsAfterAFile(String ipc) throws Exception {
        FilesDispatcher d = dispatcher(ipc);
        String file = give(root.resolve("data.bin"));
        try (RawClient c = new RawClient(d.port())) {
            c.send("GET " + file + " HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /f/ping HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET " + file + " HTTP/1.1\r\nHost: t\r\nRange: bytes=10-19\r\n\r\n"
                    + "GET " + give(tmp.resolve("secret.txt")) + " HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET " + give(root.resolve("notes.txt")) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertArrayEquals(data, c.read().body);
            assertEquals("{\"pong\":true}", c.read().text());
            assertArrayEquals(Arrays.copyOfRange(data, 10, 20), c.read().body);
            assertEquals(502, c.read().status);
            assertEquals("notes", c.read().text());
            assertEquals(200, c.send("GET /f/ping HTTP/1.1\r\nHost: t\r\n\r\n").read().status, "still open");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void onlyFilesUnderTheRootsAreSent(String ipc) throws Exception {
        FilesDispatcher d = dispatcher(ipc);
        String[] refused = {
            tmp.resolve("secret.txt").toString(),            // outside
            "/etc/passwd",                                   // outside, readable
            root.resolve("link-out.txt").toString(),         // a symlink inside that leads out
            root.resolve("dir-out/x.txt").toString(),        // a directory symlink that leads out
            root + "/../secret.txt",                         // .. out of the root
            root + "/sub/../../secret.txt",
            root + "/../root-sibling/x.txt",                 // a sibling whose name starts like the root
            root.resolve("missing.txt").toString(),          // missing
            root.resolve("sub").toString(),                  // not a regular file
            root.toString(),
            "notes.txt",                                     // relative: the worker's working directory
        };
        for (String path : refused) {
            RawClient.Response r = get(d, give(path));
            assertEquals(502, r.status, path);
            assertEquals("Invalid response from worker", r.json().get("error").asText(), path);
            assertTrue(d.logs.stream().anyMatch(l -> l.startsWith("ERROR ") && l.contains("pool files")
                    && l.contains(path)), "an ERROR names the pool and " + path + ": " + d.logs);
        }
        // A worker's path is data, not log lines: control characters come out escaped.
        assertEquals(502, get(d, give(root + "/x\nERROR forged line")).status);
        assertTrue(d.logs.stream().anyMatch(l -> l.contains(root + "/x\\x0aERROR forged line")), d.logs::toString);
    }

    @Test
    void overTlsAndFromASyncHandler() throws Exception {
        FilesDispatcher d = dispatcher("unixsocket");
        HttpClient client = HttpClient.newBuilder().sslContext(certificate.client).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String base = "https://localhost:" + d.port("tls");
        HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(URI.create(base + give(root.resolve("data.bin"))))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(data, whole.body());
        HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(URI.create(base + give(root.resolve("data.bin"))))
                .header("Range", "bytes=100-199").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), part.body());

        RawClient.Response sync = get(d, "/sync/notes");
        assertEquals("notes", sync.text());
        assertEquals("no-store", sync.header("cache-control"));
        assertNull(sync.header("content-disposition"));
    }
}
