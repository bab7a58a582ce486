package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.Inet6Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpProtocolTest {
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(HttpLimits.builder().maxRequestsPerConnection(5).build());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneSocket() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = c.send(get("/echo?i=" + i)).read();
                assertEquals(200, r.status);
                assertEquals("OK", r.reason);
                assertEquals("keep-alive", r.header("connection"));
                assertNotNull(r.header("date"));
                assertEquals("i=" + i, r.json().get("query").asText());
                assertEquals(2, r.headers.get("set-cookie").size());
            }
        }
    }

    @Test
    void http10ClosesByDefaultAndKeepsAliveOnRequest() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("GET /echo HTTP/1.0\r\n\r\n").read();
            assertEquals(200, r.status);
            assertEquals("HTTP/1.0", r.json().get("protocol").asText());
            assertEquals("close", r.header("connection"));
            assertTrue(c.isClosedByServer());
        }
        try (RawClient c = new RawClient(f.port())) {
            for (int i = 0; i < 2; i++) {
                RawClient.Response r = c.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertEquals(200, r.status);
                assertEquals("keep-alive", r.header("connection"));
            }
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
            assertEquals("close", r.header("connection"));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void largeBodiesReadInPlaceLeaveThePipelinedRequestsThatFollowThem() throws Exception {
        // Bodies of announced length are read straight into their buffer: the reads must stop at the
        // body's end, or the request after it (sent in the same write) would be lost.
        StringBuilder body = new StringBuilder();
        while (body.length() < 300_000) {
            body.append("body-").append(body.length()).append(';');
        }
        String post = "POST /echo?n=1 HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        try (RawClient c = new RawClient(f.port())) {
            c.send(post + get("/echo?n=2") + post.replace("n=1", "n=3"));
            for (int n = 1; n <= 3; n++) {
                RawClient.Response r = c.read();
                assertEquals(200, r.status);
                assertEquals("n=" + n, r.json().get("query").asText());
                assertEquals(n == 2 ? "" : body.toString(), r.json().get("body").asText());
            }
        }
    }

    @Test
    void pipelinedResponsesKeepRequestOrderWhenAnsweredOutOfOrder() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send(get("/later?ms=300&tag=first") + get("/later?ms=10&tag=second") + get("/echo?third")
                    + get("/later?ms=100&tag=fourth"));
            assertEquals("first", c.read().text());
            assertEquals("second", c.read().text());
            assertEquals("third", c.read().json().get("query").asText());
            assertEquals("fourth", c.read().text());
        }
    }

    @Test
    void maxRequestsPerConnectionThenClose() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 7; i++) {
                all.append(get("/echo?n=" + i));
            }
            c.send(all.toString());
            for (int i = 0; i < 4; i++) {
                assertEquals("keep-alive", c.read().header("connection"));
            }
            RawClient.Response fifth = c.read();
            assertEquals("n=4", fifth.json().get("query").asText());
            assertEquals("close", fifth.header("connection"));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void contentLengthBody() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            JsonNode j = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world").read().json();
            assertEquals("hello world", j.get("body").asText());
            assertEquals("POST", j.get("method").asText());
        }
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n1 ; x\r\n \r\n");
            c.send("6\r\nworld!\r\n0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("hello world!", r.json().get("body").asText());
            // the connection is still usable
            assertEquals(200, c.send(get("/echo")).read().status);
        }
    }

    @Test
    void expectContinueGets100ThenTheAnswer() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Response interim = c.read();
            assertEquals(100, interim.status);
            c.send("data");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("data", r.json().get("body").asText());
        }
    }

    @Test
    void expectContinueOverTheLimitIs413WithoutReadingTheBody() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(413, r.status);
            assertEquals("request body too large", r.json().get("error").asText());
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void headHasContentLengthButNoBody() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("HEAD /big?size=1234 HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertEquals(200, r.status);
            assertEquals("1234", r.header("content-length"));
            // the next response starts right after the head: no body bytes were sent
            RawClient.Response next = c.send(get("/echo?after-head")).read();
            assertEquals("after-head", next.json().get("query").asText());
        }
    }

    @Test
    void noBodyFor204And304() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send(get("/status?code=204")).read();
            assertEquals(204, r.status);
            assertNull(r.header("content-length"));
            RawClient.Response r2 = c.send(get("/status?code=304")).read();
            assertEquals(304, r2.status);
            assertEquals("after", c.send(get("/echo?after")).read().json().get("query").asText());
        }
    }

    @Test
    void absoluteFormPercentDecodingAndDotSegments() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("GET http://example.com/a/%62/../echo HTTP/1.1\r\nHost: example.com\r\n\r\n")
                    .read();
            assertEquals(404, r.status); // /a/b/../echo is /a/echo
        }
        // /a/b/../echo is /a/echo (not found); /static/../echo resolves to /echo
        try (RawClient c = new RawClient(f.port())) {
            JsonNode j = c.send("GET http://example.com/static/..//echo?x=%20y HTTP/1.1\r\nHost: example.com\r\n\r\n")
                    .read().json();
            assertEquals("/echo", j.get("path").asText());
            assertEquals("x=%20y", j.get("query").asText());
            assertEquals("http://example.com/static/..//echo?x=%20y", j.get("target").asText());
            JsonNode k = c.send(get("/x/./y/../..//%65cho")).read().json();
            assertEquals("/echo", k.get("path").asText());
        }
    }

    @Test
    void optionsStarIsAnsweredByTheEngine() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals(200, r.status);
            assertNotNull(r.header("allow"));
        }
    }

    @Test
    void handlerExceptionIs500AndTheLoopGoesOn() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send(get("/throw")).read();
            assertEquals(500, r.status);
            assertEquals(JsonErrors.INTERNAL_SERVER_ERROR, r.json().get("error").asText());
            assertEquals(200, c.send(get("/echo")).read().status);
        }
    }

    @Test
    void headerInjectionFromTheCallerIsRefused() throws Exception {
        RawClient.Response r = RawClient.get(f.port(), "/badheader");
        assertEquals(500, r.status);
        assertNull(r.header("injected"));
    }

    @Test
    void streamIsChunkedForHttp11AndCloseDelimitedFor10() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send(get("/stream?n=4")).read();
            assertEquals("chunked", r.header("transfer-encoding"));
            assertEquals("chunk-0\nchunk-1\nchunk-2\nchunk-3\n", r.text());
            assertEquals(200, c.send(get("/echo")).read().status);
        }
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("GET /stream?n=2 HTTP/1.0\r\n\r\n").read();
            assertNull(r.header("transfer-encoding"));
            assertEquals("close", r.header("connection"));
            assertEquals("chunk-0\nchunk-1\n", r.text());
        }
    }

    @Test
    void largeResponseIntact() throws Exception {
        RawClient.Response r = RawClient.get(f.port(), "/big?size=3000000");
        assertArrayEquals(TestHandler.pattern(3_000_000), r.body);
    }

    @Test
    void ipv6Loopback() throws Exception {
        boolean v6 = false;
        try {
            v6 = InetAddress.getByName("::1") instanceof Inet6Address
                    && java.net.NetworkInterface.getByInetAddress(InetAddress.getByName("::1")) != null;
        } catch (Exception ignored) {
            // no IPv6
        }
        Assumptions.assumeTrue(v6, "no IPv6 loopback");
        try (ServerFixture six = new ServerFixture(HttpLimits.defaults(), "::1", null);
             RawClient c = new RawClient("::1", six.port())) {
            RawClient.Response r = c.send(get("/echo")).read();
            assertEquals(200, r.status);
        }
    }

    @Test
    void dualStackListenerAcceptsIpv4() throws Exception {
        try (ServerFixture dual = new ServerFixture(HttpLimits.defaults(), "::", null);
             RawClient c = new RawClient("127.0.0.1", dual.port())) {
            assertEquals(200, c.send(get("/echo")).read().status);
        } catch (java.net.SocketException e) {
            Assumptions.abort("no dual stack: " + e);
        }
    }
}
