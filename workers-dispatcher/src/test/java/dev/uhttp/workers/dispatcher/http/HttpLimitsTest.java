package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every limit and malformed-input case: status, JSON error, connection closed, server still serving. */
class HttpLimitsTest {
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(HttpLimits.builder()
                .maxRequestLine(200).maxHeaderBytes(1000).maxHeaders(10).maxContentLength(1000).build());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    static Stream<Arguments> cases() {
        String h = "Host: t\r\n";
        return Stream.of(
                Arguments.of("request line too long", "GET /" + "a".repeat(300) + " HTTP/1.1\r\n" + h + "\r\n", 414, "request line too long"),
                Arguments.of("header line too long", "GET / HTTP/1.1\r\n" + h + "X-Big: " + "b".repeat(1200) + "\r\n\r\n", 431, "too large"),
                Arguments.of("header block too long", "GET / HTTP/1.1\r\n" + h + "X-A: " + "a".repeat(500) + "\r\nX-B: " + "b".repeat(500) + "\r\n\r\n", 431, "too large"),
                Arguments.of("too many headers", "GET / HTTP/1.1\r\n" + h + "X-H: 1\r\n".repeat(10) + "\r\n", 431, "too many"),
                Arguments.of("body over the limit", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 1001\r\n\r\n" + "x".repeat(1001), 413, "too large"),
                Arguments.of("chunked body over the limit", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n3e8\r\n" + "x".repeat(1000) + "\r\n1\r\nx\r\n0\r\n\r\n", 413, "too large"),
                Arguments.of("malformed request line", "GET /\r\n" + h + "\r\n", 400, "malformed"),
                Arguments.of("double space in request line", "GET  / HTTP/1.1\r\n" + h + "\r\n", 400, "malformed"),
                Arguments.of("lowercase version", "GET / http/1.1\r\n" + h + "\r\n", 400, "version"),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n" + h + "\r\n", 505, "not supported"),
                Arguments.of("HTTP/1.2", "GET / HTTP/1.2\r\n" + h + "\r\n", 505, "not supported"),
                Arguments.of("illegal method", "G(T / HTTP/1.1\r\n" + h + "\r\n", 400, "method"),
                Arguments.of("header without colon", "GET / HTTP/1.1\r\n" + h + "NoColon\r\n\r\n", 400, "malformed header"),
                Arguments.of("illegal header name", "GET / HTTP/1.1\r\n" + h + "X(Bad): 1\r\n\r\n", 400, "header name"),
                Arguments.of("obsolete line folding", "GET / HTTP/1.1\r\n" + h + "X-A: 1\r\n  continued\r\n\r\n", 400, "folding"),
                Arguments.of("whitespace before colon", "GET / HTTP/1.1\r\n" + h + "X-A : 1\r\n\r\n", 400, "whitespace"),
                Arguments.of("control character in value", "GET / HTTP/1.1\r\n" + h + "X-A: a\u0001b\r\n\r\n", 400, "header value"),
                Arguments.of("bad chunk size", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400, "chunk size"),
                Arguments.of("chunk without CRLF", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n2\r\nhelloXX0\r\n\r\n", 400, "CRLF"),
                Arguments.of("both Content-Length and Transfer-Encoding", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "both"),
                Arguments.of("conflicting Content-Length", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "conflicting"),
                Arguments.of("non-numeric Content-Length", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 5a\r\n\r\nhello", 400, "Content-Length"),
                Arguments.of("negative Content-Length", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: -5\r\n\r\n", 400, "Content-Length"),
                Arguments.of("missing Host on 1.1", "GET / HTTP/1.1\r\n\r\n", 400, "Host"),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\n" + h + h + "\r\n", 400, "Host"),
                Arguments.of("gzip transfer coding", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501, "transfer coding"),
                Arguments.of("unknown expectation", "POST /echo HTTP/1.1\r\n" + h + "Expect: teapot\r\nContent-Length: 1\r\n\r\nx", 417, "expectation"),
                Arguments.of("path escaping root", "GET /a/../../etc/passwd HTTP/1.1\r\n" + h + "\r\n", 400, "escapes"),
                Arguments.of("encoded dot-dot escaping root", "GET /%2e%2e/%2E%2E/etc/passwd HTTP/1.1\r\n" + h + "\r\n", 400, "escapes"),
                Arguments.of("encoded NUL", "GET /a%00b HTTP/1.1\r\n" + h + "\r\n", 400, "NUL"),
                Arguments.of("bad percent escape", "GET /a%zz HTTP/1.1\r\n" + h + "\r\n", 400, "percent"),
                Arguments.of("invalid UTF-8", "GET /a%ff HTTP/1.1\r\n" + h + "\r\n", 400, "UTF-8"),
                Arguments.of("asterisk for GET", "GET * HTTP/1.1\r\n" + h + "\r\n", 400, "OPTIONS"),
                Arguments.of("authority-form", "CONNECT example.com:443 HTTP/1.1\r\n" + h + "\r\n", 400, "target"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithStatusAndJsonThenClosed(String name, String request, int status, String error) throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send(request);
            RawClient.Response r = c.read();
            assertEquals(status, r.status, name + ": " + r);
            assertEquals("application/json", r.header("content-type"));
            assertEquals("close", r.header("connection"));
            String msg = r.json().get("error").asText();
            assertTrue(msg.toLowerCase().contains(error.toLowerCase()), name + ": " + msg);
            assertTrue(c.isClosedByServer(), name + ": connection left open");
        }
        assertEquals(200, RawClient.get(f.port(), "/echo").status);
    }

    @Test
    void errorAfterAPipelinedGoodRequestComesAfterItsAnswer() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send("GET /later?ms=100&tag=good HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/9.9\r\nHost: t\r\n\r\n");
            RawClient.Response first = c.read();
            assertEquals(200, first.status);
            assertEquals("good", first.text());
            assertEquals(505, c.read().status);
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void atTheLimitsIsAccepted() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + "y".repeat(1000)).read();
            assertEquals(200, r.status);
            assertEquals(1000, r.json().get("body").asText().length());
            String headers = "X-H: 1\r\n".repeat(9);
            assertEquals(200, c.send("GET /echo HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n").read().status);
            assertEquals(200, c.send("GET /echo?" + "q".repeat(150) + " HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
        }
    }

    @Test
    void leadingEmptyLinesAreToleratedButBareLfIsNot() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            assertEquals(200, c.send("\r\n\r\nGET /echo HTTP/1.1\r\nHost: t\r\n\r\n").read().status);
        }
        // A bare LF as a line end was tolerated once; it lets a request hide behind a proxy (issue 13).
        try (RawClient c = new RawClient(f.port())) {
            assertEquals(400, c.send("\r\n\r\nGET /echo HTTP/1.1\nHost: t\n\n").read().status);
            assertTrue(c.isClosedByServer());
        }
    }
}
