package dev.uhttp.workers.dispatcher.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Timeouts, connection limits, slow readers and the stream buffer cap (small limits, one server). */
class HttpConnectionsTest {
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(HttpLimits.builder()
                .keepAliveTimeout(Duration.ofMillis(300))
                .headerTimeout(Duration.ofMillis(500))
                .maxConnections(5)
                .maxStreamBuffer(256 * 1024)
                .build());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            assertEquals(200, c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
            await().atMost(Duration.ofSeconds(10)).until(c::isClosedByServer);
        }
    }

    @Test
    void slowlorisGets408AndIsClosed() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("GET /echo HTTP/1.1\r\nHost: t\r\nX-Slow: ");
            RawClient.Response r = c.read(); // blocks until the header timeout answers
            assertEquals(408, r.status);
            assertEquals("request timeout", r.json().get("error").asText());
            assertTrue(c.isClosedByServer());
        }
        assertEquals(200, RawClient.get(f.port(), "/echo").status);
    }

    @Test
    void bodySentTooSlowlyGets408() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
            assertEquals(408, c.read().status);
        }
    }

    /** Sends {@code piece} every 50 ms, {@code times} times (or until the connection fails). */
    private static void pace(ScheduledExecutorService pacer, RawClient c, String piece, int times) {
        AtomicInteger sent = new AtomicInteger();
        pacer.scheduleAtFixedRate(() -> {
            if (sent.incrementAndGet() > times) {
                throw new IllegalStateException("done"); // ends the repetition
            }
            try {
                c.send(piece);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
    }

    @Test
    void slowButSteadyBodyCompletesWhileAStalledOneGets408() throws Exception {
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
        try {
            // 30 pieces 50 ms apart: three times the 500 ms header timeout, never 500 ms without a byte
            try (RawClient c = new RawClient(f.port())) {
                c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 30\r\n\r\n");
                pace(pacer, c, "x", 30);
                RawClient.Response r = c.read();
                assertEquals(200, r.status, r.toString());
                assertEquals("x".repeat(30), r.json().get("body").asText());
            }
            // the same, stopping after 10 pieces
            try (RawClient c = new RawClient(f.port())) {
                c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 30\r\n\r\n");
                pace(pacer, c, "x", 10);
                RawClient.Response r = c.read();
                assertEquals(408, r.status);
                assertTrue(c.isClosedByServer());
            }
            // header bytes dribbled in keep their total deadline (slowloris)
            try (RawClient c = new RawClient(f.port())) {
                c.send("GET /echo HTTP/1.1\r\nHost: t\r\nX-Slow: ");
                pace(pacer, c, "a", 1000);
                assertEquals(408, c.read().status);
            }
        } finally {
            pacer.shutdownNow();
        }
    }

    @Test
    void silentNewConnectionIsClosed() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            await().atMost(Duration.ofSeconds(10)).until(c::isClosedByServer);
        }
    }

    @Test
    void acceptingPausesAtMaxConnectionsAndResumes() throws Exception {
        await().until(() -> f.connections() == 0);
        List<RawClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                RawClient c = new RawClient(f.port());
                held.add(c);
                // a request in flight keeps each connection busy (no idle timeout while waiting)
                c.send("GET /later?ms=60000 HTTP/1.1\r\nHost: t\r\n\r\n");
            }
            await().until(() -> f.connections() == 5);
            // the sixth connects (kernel backlog) but is not accepted: no answer while the others are open
            RawClient sixth = new RawClient(f.port());
            held.add(sixth);
            sixth.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(5, f.connections());
            held.get(0).close();
            RawClient.Response r = sixth.read();
            assertEquals(200, r.status);
        } finally {
            for (RawClient c : held) {
                c.close();
            }
        }
        await().until(() -> f.connections() == 0);
    }

    @Test
    void slowReaderDoesNotStallOthers() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", f.port()));
            slow.getOutputStream().write("GET /big?size=8000000 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes());
            // while that response is stuck in the server, others are served
            for (int i = 0; i < 3; i++) {
                assertEquals(200, RawClient.get(f.port(), "/echo").status);
            }
            RawClient reader = new RawClient(slow);
            RawClient.Response r = reader.read();
            assertArrayEquals(TestHandler.pattern(8_000_000), r.body);
        }
    }

    @Test
    void streamOverTheBufferCapIsDroppedWithOnClose() throws Exception {
        int before = f.handler.streamCloses.get();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", f.port()));
            s.getOutputStream().write("GET /endless HTTP/1.1\r\nHost: t\r\n\r\n".getBytes());
            await().atMost(Duration.ofSeconds(20)).until(() -> f.handler.streamCloses.get() == before + 1);
            // what was sent is a valid chunked prefix; then the connection ends
            InputStream in = s.getInputStream();
            s.setSoTimeout(20_000);
            byte[] buf = new byte[65536];
            try {
                while (in.read(buf) >= 0) {
                    // drain
                }
            } catch (java.net.SocketException reset) {
                // dropped with unread data: a reset is fine
            }
        }
        assertTrue(f.logs.stream().anyMatch(l -> l.contains("does not read its stream")));
        assertEquals(200, RawClient.get(f.port(), "/echo").status);
    }

    @Test
    void onCloseFiresWhenTheClientGoesAway() throws Exception {
        int before = f.handler.streamCloses.get();
        RawClient c = new RawClient(f.port());
        c.send("GET /endless?chunk=10 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertEquals("200", new String(c.input().readNBytes(12)).substring(9));
        c.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> f.handler.streamCloses.get() == before + 1);
    }

    @Test
    void closeIdleConnectionsAndStopAccepting() throws Exception {
        try (ServerFixture g = new ServerFixture(HttpLimits.defaults())) {
            RawClient idle = new RawClient(g.port());
            assertEquals(200, idle.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
            RawClient busy = new RawClient(g.port());
            busy.send("GET /later?ms=300&tag=done HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> g.onLoop(() -> g.handler.handled.get()) == 2);
            int closed = g.onLoop(() -> {
                g.server.stopAccepting();
                return g.server.closeIdleConnections();
            });
            assertEquals(1, closed);
            assertTrue(idle.isClosedByServer());
            RawClient.Response r = busy.read();
            assertEquals("done", r.text());
            assertEquals("close", r.header("connection"));
            assertTrue(busy.isClosedByServer());
            idle.close();
            busy.close();
        }
    }
}
