package dev.uhttp.workers.dispatcher.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsTest {
    static ServerFixture f;
    static SSLContext client;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(tmp);
        SSLContext server = certificate.server;
        client = certificate.client;

        StaticFileServingTest.createTree(tmp);
        f = new ServerFixture(HttpLimits.defaults(), "127.0.0.1", server);
        f.handler.statics = new StaticRoutes(Map.of("/static/", tmp.resolve("www")));
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static RawClient tls(String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.connect(new InetSocketAddress("127.0.0.1", f.port()), 10_000);
        s.startHandshake();
        return new RawClient(s);
    }

    @Test
    void keepAliveOverTls() throws Exception {
        try (RawClient c = tls()) {
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = c.send("GET /echo?i=" + i + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertEquals(200, r.status);
                assertTrue(r.json().get("secure").asBoolean());
                assertEquals("i=" + i, r.json().get("query").asText());
            }
        }
    }

    @Test
    void largeBodiesBothWays() throws Exception {
        try (RawClient c = tls()) {
            String body = "z".repeat(900_000);
            RawClient.Response r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).read();
            assertEquals(body, r.json().get("body").asText());
            RawClient.Response big = c.send("GET /big?size=3000000 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertArrayEquals(TestHandler.pattern(3_000_000), big.body);
            RawClient.Response file = c.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertArrayEquals(TestHandler.pattern(5_000_000), file.body);
        }
    }

    @Test
    void idleAndSilentTlsConnectionsHoldNoPacketBuffers() throws Exception {
        try (RawClient silent = new RawClient(f.port()); RawClient idle = tls(); RawClient idle12 = tls("TLSv1.2")) {
            assertEquals(200, idle.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
            assertEquals(200, idle12.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
            await().until(() -> f.onLoop(() -> f.server.connectionsSnapshot().size() >= 3));
            // every open connection (the silent one, the two idle keep-alive ones, any other) holds none
            await().until(() -> f.onLoop(() -> f.server.connectionsSnapshot().stream()
                    .mapToInt(c -> ((TlsTransport) c.transport()).heldBufferBytes()).sum() == 0));
            // and they still work
            assertEquals(200, idle.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
            assertEquals(200, idle12.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
        }
    }

    @Test
    void httpsUrlConnection() throws Exception {
        HttpsURLConnection conn = (HttpsURLConnection) new URL("https://127.0.0.1:" + f.port() + "/echo?via=url").openConnection();
        conn.setSSLSocketFactory(client.getSocketFactory());
        assertEquals(200, conn.getResponseCode());
        String text = new String(conn.getInputStream().readAllBytes());
        assertTrue(text.contains("\"query\":\"via=url\""), text);
    }

    @Test
    void malformedRequestOverTlsStillGetsJsonError() throws Exception {
        try (RawClient c = tls()) {
            RawClient.Response r = c.send("GET / HTTP/1.1\r\n\r\n").read();
            assertEquals(400, r.status);
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void renegotiationIsRefused() throws Exception {
        try (RawClient c = tls("TLSv1.2")) {
            assertEquals(200, c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
            SSLSocket s = (SSLSocket) c.socket;
            assertThrows(IOException.class, () -> {
                s.startHandshake();
                c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
                RawClient.Response r = c.read();
                throw new AssertionError("served after renegotiation: " + r);
            });
        }
        assertEquals(200, tlsGet());
    }

    @Test
    void plainTextOnTheTlsPortIsDropped() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            byte[] got;
            try {
                got = c.input().readAllBytes(); // at most a TLS alert, then end of stream
            } catch (java.net.SocketException reset) {
                got = new byte[0];
            }
            assertTrue(got.length < 16 && !new String(got, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("HTTP"));
        }
        assertEquals(200, tlsGet());
    }

    private static int tlsGet() throws IOException {
        try (RawClient c = tls()) {
            return c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status;
        }
    }
}
