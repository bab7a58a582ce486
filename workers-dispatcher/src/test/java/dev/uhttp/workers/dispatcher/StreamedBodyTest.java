package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uhttp.workers.dispatcher.http.RawClient;
import dev.uhttp.workers.dispatcher.http.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streamed request bodies end to end, over both IPC providers: a body far larger than the
 * dispatcher's buffers hashed on both sides, back-pressure to the client's TCP window, a client that
 * disconnects mid-upload, 413 over the streaming limit, pipelined requests after a streamed body, TLS.
 * One dispatcher per provider, shared by the tests of this class.
 */
class StreamedBodyTest {
    static final long MAX_STREAMED = 512L << 20;
    /** What the dispatcher may hold for one upload: its hold mark, the worker's window, a piece, slack. */
    static final long BOUND = 2L << 20;
    private static final Map<String, Bodies> DISPATCHERS = new ConcurrentHashMap<>();
    private static Path certificateDir;
    private static SelfSignedCertificate certificate;

    public static class Bodies extends Dispatcher {
        <T> T onLoop(Supplier<T> what) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            execute(() -> f.complete(what.get()));
            return f.get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopAll() throws IOException {
        DISPATCHERS.values().forEach(Dispatcher::stop);
        DISPATCHERS.clear();
    }

    static synchronized SelfSignedCertificate certificate() throws Exception {
        if (certificate == null) {
            certificateDir = Files.createTempDirectory("streamed-body-tls");
            certificate = SelfSignedCertificate.generate(certificateDir);
        }
        return certificate;
    }

    static Bodies dispatcher(String ipc) throws Exception {
        SelfSignedCertificate cert = certificate();
        return DISPATCHERS.computeIfAbsent(ipc, name -> {
            Bodies d = new Bodies();
            d.port(0).address("127.0.0.1").ipc(name).classDataArchives(null)
                    .listener("tls", "127.0.0.1", 0, cert.server)
                    .pool(WorkerPool.of(BodyWorkers.UploadWorker.class).name("up").routes("/up/**").concurrency(2)
                            .maxStreamedBodySize(MAX_STREAMED).heartbeatInterval(Duration.ofMillis(200)))
                    .start();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> RawClient.get(d.port(), "/up/ping").status == 200);
            return d;
        });
    }

    /** Deterministic bytes, generated as they are written: {@code length} of them, hashed on the way. */
    static final class Generated {
        final MessageDigest sha;
        final AtomicLong written = new AtomicLong();

        Generated() throws Exception {
            sha = MessageDigest.getInstance("SHA-256");
        }

        void writeTo(OutputStream out, long length) throws IOException {
            byte[] buf = new byte[128 * 1024];
            long seed = 0x9E3779B97F4A7C15L;
            long left = length;
            while (left > 0) {
                for (int i = 0; i < buf.length; i += 8) {
                    seed ^= seed << 13;
                    seed ^= seed >>> 7;
                    seed ^= seed << 17;
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (seed >>> (8 * k));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                written.addAndGet(n);
                left -= n;
            }
            out.flush();
        }

        /** Writes the body on another thread (the test watches the dispatcher meanwhile). */
        CompletableFuture<Void> writeAsync(RawClient c, long length) {
            return CompletableFuture.runAsync(() -> {
                try {
                    writeTo(c.socket().getOutputStream(), length);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    static String head(String method, String path, long length) {
        return method + " " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + length + "\r\n\r\n";
    }

    // ------------------------------------------------------------------ the tests

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void aBodyMuchLargerThanTheBuffersIsHashedOnBothSides(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        long length = 256L << 20;
        try (RawClient c = new RawClient(d.port())) {
            Generated g = new Generated();
            c.send(head("POST", "/up/sha256", length));
            AtomicLong maxBuffered = new AtomicLong();
            CompletableFuture<Void> writer = g.writeAsync(c, length);
            while (!writer.isDone()) {
                maxBuffered.accumulateAndGet(d.onLoop(d::bufferedBytes), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // a sample every few ms
            }
            writer.get();
            RawClient.Response r = c.read();
            assertEquals(200, r.status, r.text());
            JsonNode json = r.json();
            assertEquals(length, json.get("bytes").asLong());
            assertEquals(g.hex(), json.get("sha256").asText());
            assertTrue(maxBuffered.get() <= BOUND, "dispatcher held " + maxBuffered.get() + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void aChunkedUploadStreamsToo(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/up/sha256"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data)))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void aSlowHandlerBlocksTheClientAndTheDispatcherStaysBounded(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        long length = 64L << 20;
        try (RawClient c = new RawClient(d.port())) {
            Generated g = new Generated();
            c.send(head("POST", "/up/gated", length));
            CompletableFuture<Void> writer = g.writeAsync(c, length);
            // The handler reads nothing: the worker's window, then the dispatcher's hold mark fill up...
            await().atMost(Duration.ofSeconds(30)).until(() -> d.onLoop(d::bufferedBytes) >= 128 * 1024);
            for (int i = 0; i < 20; i++) {
                long held = d.onLoop(d::bufferedBytes);
                assertTrue(held <= BOUND, "dispatcher held " + held + " bytes");
            }
            // ...and then the client's writes block: TCP buffers hold a few MiB, never 64.
            assertFalse(writer.isDone());
            assertTrue(g.written.get() < length / 2, "client wrote " + g.written.get());
            assertEquals(200, RawClient.get(d.port(), "/up/ping").status); // the pool still answers
            try (RawClient other = new RawClient(d.port())) {
                assertEquals(200, other.send(head("POST", "/up/open-gate", 0)).read().status);
            }
            writer.get(120, TimeUnit.SECONDS);
            RawClient.Response r = c.read();
            assertEquals(200, r.status, r.text());
            assertEquals(g.hex(), r.json().get("sha256").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void aClientThatLeavesMidUploadFailsTheHandlersStream(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        try (RawClient c = new RawClient(d.port())) {
            c.send(head("POST", "/up/until-gone", 16L << 20));
            new Generated().writeTo(c.socket().getOutputStream(), 1 << 20);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode events = RawClient.get(d.port(), "/up/events").json();
            Set<Long> failed = new HashSet<>();
            events.get("failed").forEach(n -> failed.add(n.asLong()));
            Set<Long> gone = new HashSet<>();
            events.get("disconnected").forEach(n -> gone.add(n.asLong()));
            failed.retainAll(gone);
            return !failed.isEmpty(); // the handler's read threw, and onDisconnect ran for that request
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void overTheStreamingLimitIs413WithoutTheBody(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        try (RawClient c = new RawClient(d.port())) {
            RawClient.Response r = c.send(head("POST", "/up/sha256", MAX_STREAMED + 1)).read();
            assertEquals(413, r.status);
            assertTrue(c.isClosedByServer());
        }
        // A chunked body that grows past the limit: 413 once it does, and the handler's stream fails.
        try (RawClient c = new RawClient(d.port())) {
            c.send("POST /up/sha256 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Long.toHexString(MAX_STREAMED + 1) + "\r\n");
            assertEquals(413, c.read().status);
        }
    }

    /**
     * RFC 9110 §10.1.1: a client that sends {@code Expect: 100-continue} gets {@code 100 Continue} only
     * once the handler reads the body; a handler that refuses it first (here {@code json()} of a streamed
     * body over the pool's {@code maxContentLength}) answers 413 alone, and the connection closes, the
     * body never sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void expectContinueGetsTheFinalStatusAloneWhenTheHandlerRefusesTheBody(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        long over = 2L << 20; // streams (over 64 KiB), within maxStreamedBodySize, over maxContentLength (1 MiB)
        try (RawClient c = new RawClient(d.port())) {
            c.send(head("POST", "/up/json", over).replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n"));
            RawClient.Response r = c.read();
            assertEquals(413, r.status, "the final status, no 100 Continue before it");
            assertEquals("close", r.header("connection"));
            assertTrue(c.isClosedByServer());
        }
        // Handlers that read the body (as it arrives; collected whole by the worker): 100, then the answer.
        for (long length : new long[] {over, 300 * 1024}) {
            try (RawClient c = new RawClient(d.port())) {
                c.send(head("POST", "/up/sha256", length).replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n"));
                assertEquals(100, c.read().status);
                Generated g = new Generated();
                g.writeTo(c.socket().getOutputStream(), length);
                RawClient.Response r = c.read();
                assertEquals(200, r.status);
                assertEquals(length, r.json().get("bytes").asLong());
                assertEquals(g.hex(), r.json().get("sha256").asText());
                assertEquals(Map.of("pong", true), Map.of("pong",
                        c.send("GET /up/ping HTTP/1.1\r\nHost: t\r\n\r\n").read().json().get("pong").asBoolean()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void pipelinedRequestsAfterAStreamedBodyAreAnsweredInOrder(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        byte[] body = new byte[1 << 20];
        new java.util.Random(3).nextBytes(body);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.write(head("POST", "/up/sha256", body.length).getBytes(StandardCharsets.ISO_8859_1));
        all.write(body);
        all.write("GET /up/ping HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] json = "{\"n\":42}".getBytes(StandardCharsets.UTF_8);
        all.write((head("POST", "/up/json", json.length)).getBytes(StandardCharsets.ISO_8859_1));
        all.write(json);
        try (RawClient c = new RawClient(d.port())) {
            c.send(all.toByteArray());
            RawClient.Response first = c.read();
            assertEquals(200, first.status, first.text());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                    first.json().get("sha256").asText());
            assertEquals(Map.of("pong", true), Map.of("pong", c.read().json().get("pong").asBoolean()));
            assertEquals(42, c.read().json().get("got").get("n").asInt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void aMidSizeBodyIsCollectedBeforeItsHandlerRunsAndItsClientMayLeave(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        int length = 768 * 1024; // over streamBodiesOver (64 KiB), within maxContentLength (1 MiB)
        int before = RawClient.get(d.port(), "/up/events").json().get("disconnected").size();
        // Two clients (the pool's concurrency) leave mid-body: no handler runs, onDisconnect does...
        for (int i = 0; i < 2; i++) {
            try (RawClient c = new RawClient(d.port())) {
                c.send(head("POST", "/up/available", length));
                new Generated().writeTo(c.socket().getOutputStream(), length / 3);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                RawClient.get(d.port(), "/up/events").json().get("disconnected").size() >= before + 2);
        // ...and both worker slots are free again: two such bodies at once, each whole at its handler's start.
        List<CompletableFuture<RawClient.Response>> answers = new java.util.ArrayList<>();
        List<Generated> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Generated g = new Generated();
            bodies.add(g);
            answers.add(CompletableFuture.supplyAsync(() -> {
                try (RawClient c = new RawClient(d.port())) {
                    c.send(head("POST", "/up/available", length));
                    g.writeTo(c.socket().getOutputStream(), length);
                    return c.read();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < 2; i++) {
            RawClient.Response r = answers.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, r.status, r.text());
            assertEquals(length, r.json().get("available").asInt());
            assertEquals(bodies.get(i).hex(), r.json().get("sha").get("sha256").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void anUploadOverTls(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        long length = 32L << 20;
        Socket s = certificate().client.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", d.port("tls")), 10_000);
        try (RawClient c = new RawClient(s)) {
            Generated g = new Generated();
            c.send(head("POST", "/up/sha256", length));
            g.writeTo(s.getOutputStream(), length);
            RawClient.Response r = c.read();
            assertEquals(200, r.status, r.text());
            assertEquals(length, r.json().get("bytes").asLong());
            assertEquals(g.hex(), r.json().get("sha256").asText());
        }
    }

    static byte[] pattern(int mib) {
        byte[] body = new byte[mib << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >>> 16));
        }
        return body;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void aLargeResponseToASlowReaderIsPausedNotBuffered(String ipc) throws Exception {
        Bodies d = dispatcher(ipc);
        int mib = 48;
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", d.port()), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /up/big?mib=48 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // Not read yet: the worker's window and the connection's pause mark fill, then the worker waits.
            await().atMost(Duration.ofSeconds(30)).until(() -> d.onLoop(d::bufferedBytes) >= 256 * 1024);
            for (int i = 0; i < 20; i++) {
                long held = d.onLoop(d::bufferedBytes);
                assertTrue(held <= BOUND, "dispatcher held " + held + " bytes of a " + mib + " MiB response");
            }
            RawClient.Response r = new RawClient(s).read();
            assertEquals(200, r.status);
            assertEquals(String.valueOf(mib << 20), r.header("Content-Length"));
            assertTrue(java.util.Arrays.equals(pattern(mib), r.body), "the body arrives whole and in order");
        }
        assertEquals(200, RawClient.get(d.port(), "/up/ping").status, "the connection's worker is free again");
    }
}
