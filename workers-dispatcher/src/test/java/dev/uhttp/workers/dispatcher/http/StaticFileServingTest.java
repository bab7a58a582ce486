package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFileServingTest {
    static ServerFixture f;
    @TempDir
    static Path tmp;
    static byte[] big;

    static void createTree(Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>root</h1>");
        Files.writeString(root.resolve("style.css"), "body{}");
        Files.writeString(root.resolve("app.js"), "let a;");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<h1>sub</h1>");
        Files.writeString(root.resolve("old.txt"), "old");
        Files.setLastModifiedTime(root.resolve("old.txt"), FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        big = TestHandler.pattern(5_000_000);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("x.txt"), "outside");
        Files.createSymbolicLink(root.resolve("link-out.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dir-out"), outside);
        Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("style.css"));
    }

    @BeforeAll
    static void start() throws Exception {
        createTree(tmp);
        f = new ServerFixture(HttpLimits.defaults());
        f.handler.statics = new StaticRoutes(Map.of("/static/", tmp.resolve("www")));
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static RawClient.Response get(String path, String... extra) throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n" + String.join("", extra) + "\r\n").read();
        }
    }

    @Test
    void contentTypesAndIndex() throws Exception {
        RawClient.Response css = get("/static/style.css");
        assertEquals(200, css.status);
        assertEquals("text/css; charset=utf-8", css.header("content-type"));
        assertEquals("body{}", css.text());
        assertEquals("no-cache", css.header("cache-control"));
        assertEquals("text/javascript; charset=utf-8", get("/static/app.js").header("content-type"));
        assertEquals("<h1>root</h1>", get("/static/").text());
        assertEquals("<h1>root</h1>", get("/static").text());
        assertEquals("<h1>sub</h1>", get("/static/sub/").text());
        assertEquals("<h1>sub</h1>", get("/static/sub").text());
        assertEquals("body{}", get("/static/link-in.txt").text());
    }

    @Test
    void lastModifiedAnd304() throws Exception {
        RawClient.Response r = get("/static/old.txt");
        assertEquals("Thu, 02 Jan 2020 03:04:05 GMT", r.header("last-modified"));
        RawClient.Response notModified = get("/static/old.txt", "If-Modified-Since: Thu, 02 Jan 2020 03:04:05 GMT\r\n");
        assertEquals(304, notModified.status);
        assertEquals(0, notModified.body.length);
        assertEquals(200, get("/static/old.txt", "If-Modified-Since: Thu, 02 Jan 2020 03:04:04 GMT\r\n").status);
        assertEquals(200, get("/static/old.txt", "If-Modified-Since: garbage\r\n").status);
    }

    @Test
    void headSendsLengthWithoutBody() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("HEAD /static/big.bin HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertEquals("5000000", r.header("content-length"));
            assertEquals("application/octet-stream", r.header("content-type"));
            assertEquals("body{}", c.send("GET /static/style.css HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        }
    }

    /** {@code Range} on a static route (the same code serves files handed back by workers). */
    @Test
    void byteRanges() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response whole = c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals("bytes", whole.header("accept-ranges"));
            assertRange(c, "bytes=0-99", 0, 99);                     // first
            assertRange(c, "bytes=1000000-1999999", 1_000_000, 1_999_999); // middle
            assertRange(c, "bytes=-500", big.length - 500, big.length - 1); // suffix
            assertRange(c, "bytes=4999990-", big.length - 10, big.length - 1); // open-ended
            assertRange(c, "bytes=4999990-9999999999999999999999", big.length - 10, big.length - 1); // past the end
            assertRange(c, "bytes=-99999999", 0, big.length - 1);    // suffix longer than the file
            assertRange(c, "BYTES = 5-5", 5, 5);
            for (String unsatisfiable : new String[] {"bytes=5000000-", "bytes=5000000-5000010", "bytes=-0"}) {
                RawClient.Response r = c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: " + unsatisfiable
                        + "\r\n\r\n").read();
                assertEquals(416, r.status, unsatisfiable);
                assertEquals("bytes */5000000", r.header("content-range"), unsatisfiable);
                assertEquals("Range not satisfiable", r.json().get("error").asText());
            }
            // Ignored, so the whole file: several ranges, malformed ones, other units.
            for (String ignored : new String[] {"bytes=0-1,5-6", "bytes=5-1", "bytes=a-b", "items=0-1", "bytes=", "0-1"}) {
                RawClient.Response r = c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: " + ignored
                        + "\r\n\r\n").read();
                assertEquals(200, r.status, ignored);
                assertArrayEquals(big, r.body, ignored);
            }
            // If-Range: the exact Last-Modified date honours the range; another date or an entity tag sends it all.
            String lm = whole.header("last-modified");
            assertEquals(206, c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\nIf-Range: " + lm
                    + "\r\n\r\n").read().status);
            assertEquals(200, c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n"
                    + "If-Range: Thu, 02 Jan 2020 03:04:05 GMT\r\n\r\n").read().status);
            assertEquals(200, c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n"
                    + "If-Range: \"abc\"\r\n\r\n").read().status);
            // HEAD ignores Range; the connection is still good afterwards.
            RawClient.Response head = c.send("HEAD /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n\r\n")
                    .read(true);
            assertEquals(200, head.status);
            assertEquals("5000000", head.header("content-length"));
            assertEquals("body{}", c.send("GET /static/style.css HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        }
    }

    static void assertRange(RawClient c, String range, int first, int last) throws Exception {
        RawClient.Response r = c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: " + range + "\r\n\r\n").read();
        assertEquals(206, r.status, range);
        assertEquals("bytes " + first + "-" + last + "/" + big.length, r.header("content-range"), range);
        assertEquals(String.valueOf(last - first + 1), r.header("content-length"), range);
        assertArrayEquals(java.util.Arrays.copyOfRange(big, first, last + 1), r.body, range);
    }

    @Test
    void traversalAttemptsAreNotFound() throws Exception {
        for (String p : new String[] {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E/secret.txt",
            "/static/..%2fsecret.txt", "/static/sub/..%2f..%2fsecret.txt", "/static/link-out.txt",
            "/static/dir-out/x.txt", "/static/missing.txt"}) {
            RawClient.Response r = get(p);
            assertEquals(404, r.status, p);
            assertEquals("not found", r.json().get("error").asText(), p);
        }
    }

    @Test
    void bigFileIntactOnKeepAlive() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            for (int i = 0; i < 2; i++) {
                RawClient.Response r = c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertNotNull(r.header("last-modified"));
                assertArrayEquals(big, r.body);
            }
        }
    }

    @Test
    void pipelinedFileAndEcho() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\n\r\nGET /later?ms=1&tag=x HTTP/1.1\r\nHost: t\r\n\r\n");
            assertArrayEquals(big, c.read().body);
            assertEquals("x", new String(c.read().body, StandardCharsets.UTF_8));
        }
    }
}
