package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling and RFC 9112 / RFC 9110 conformance over a raw socket (issue 13): for every desync
 * class, the exact bytes, the status, and whether the connection is closed after the response (read up
 * to EOF) or still serves a next request. A refused request never reaches the handler.
 */
class Rfc9112ConformanceTest {
    private static final String H = "Host: t\r\n";
    private static final String POST = "POST /echo HTTP/1.1\r\n" + H;
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(HttpLimits.builder().maxHeaderBytes(1024).maxContentLength(4096).build());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static Arguments refused(String name, String request, int status) {
        return Arguments.of(name, request, status, true);
    }

    private static Arguments refused(String name, String request) {
        return refused(name, request, 400);
    }

    private static Arguments accepted(String name, String request) {
        return Arguments.of(name, request, 200, false);
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // line ends: CRLF only (RFC 9112 section 2.2)
        c.add(refused("bare LF hides a second request (issue 13)", "GET /echo HTTP/1.1\r\nHost: localhost\r\nDummy: x\n"
                + "Content-Length: 23\r\n\r\nGET / HTTP/1.1\r\nDummy: GET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        c.add(refused("bare LF ends the request line", "GET /echo HTTP/1.1\n" + H + "\r\n"));
        c.add(refused("bare LF ends a header line", "GET /echo HTTP/1.1\r\nHost: t\n\r\n"));
        c.add(refused("bare LF ends the header block", "GET /echo HTTP/1.1\r\n" + H + "\n"));
        c.add(refused("bare LF as a leading empty line", "\nGET /echo HTTP/1.1\r\n" + H + "\r\n"));
        c.add(accepted("CRLF leading empty lines", "\r\n\r\nGET /echo HTTP/1.1\r\n" + H + "\r\n"));
        c.add(refused("bare CR in the request line", "GET /echo\r HTTP/1.1\r\n" + H + "\r\n"));
        c.add(refused("bare CR ends the request line", "GET /echo HTTP/1.1\r" + H + "\r\n"));
        c.add(refused("bare CR in a header value", "GET /echo HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n"));
        c.add(refused("bare CR ends a header line", "GET /echo HTTP/1.1\r\nX-A: a\rHost: t\r\n\r\n"));
        c.add(refused("bare CR in a header name", "GET /echo HTTP/1.1\r\n" + H + "X\rA: a\r\n\r\n"));
        c.add(refused("CR CR LF", "GET /echo HTTP/1.1\r\n" + H + "X-A: a\r\r\n\r\n"));
        c.add(refused("bare CR as a leading empty line", "\rGET /echo HTTP/1.1\r\n" + H + "\r\n"));
        // request line (RFC 9112 section 3)
        c.add(refused("tab between request-line parts", "GET\t/echo HTTP/1.1\r\n" + H + "\r\n"));
        c.add(refused("space after the version", "GET /echo HTTP/1.1 \r\n" + H + "\r\n"));
        c.add(refused("NUL in the target", "GET /ec\0ho HTTP/1.1\r\n" + H + "\r\n"));
        c.add(refused("two fragments", "GET /echo#a#b HTTP/1.1\r\n" + H + "\r\n"));
        c.add(accepted("fragment in the target", "GET /echo?page=1#posts-17408 HTTP/1.1\r\n" + H + "\r\n"));
        c.add(accepted("fragment on a chunked POST", "POST /echo#f HTTP/1.1\r\n" + H
                + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
        // CL.TE, TE.CL (RFC 9112 section 6.3)
        c.add(refused("CL.TE", POST + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX"));
        c.add(refused("TE.CL", POST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"));
        c.add(refused("CL with an obfuscated TE", POST + "Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\nhello"));
        c.add(refused("CL with an empty TE", POST + "Content-Length: 5\r\nTransfer-Encoding:\r\n\r\nhello"));
        // TE.TE: obfuscated Transfer-Encoding values
        c.add(refused("TE 'chunked ,x'", POST + "Transfer-Encoding: chunked ,x\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE 'xchunked'", POST + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE 'chunked, identity'", POST + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE 'identity'", POST + "Transfer-Encoding: identity\r\n\r\n"));
        c.add(refused("TE 'chunked;x=1'", POST + "Transfer-Encoding: chunked;x=1\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE 'chunked,'", POST + "Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE empty", POST + "Transfer-Encoding: \r\n\r\n"));
        c.add(refused("TE twice (two fields)", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE 'chunked, chunked'", POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE with VT", POST + "Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE with a space before the colon", POST + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE folded", POST + "Transfer-Encoding: \r\n chunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE name with NUL", POST + "Transfer-Encoding\0: chunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE 'gzip, chunked' (not implemented)", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501));
        c.add(refused("TE in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        c.add(refused("TE and CL in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"));
        c.add(accepted("TE uppercase", POST + "Transfer-Encoding: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
        c.add(accepted("TE after a tab", POST + "Transfer-Encoding:\tchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
        c.add(accepted("TE after spaces", POST + "Transfer-Encoding:   chunked  \r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
        // Content-Length (RFC 9110 section 8.6)
        c.add(refused("CL twice, different", POST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"));
        c.add(refused("CL list, different", POST + "Content-Length: 3, 4\r\n\r\nabcd"));
        c.add(refused("CL list with an empty element", POST + "Content-Length: 3,\r\n\r\nabc"));
        c.add(refused("CL with a plus sign", POST + "Content-Length: +3\r\n\r\nabc"));
        c.add(refused("CL negative", POST + "Content-Length: -3\r\n\r\nabc"));
        c.add(refused("CL hex", POST + "Content-Length: 0x3\r\n\r\nabc"));
        c.add(refused("CL with inner space", POST + "Content-Length: 1 2\r\n\r\nabcdefghijkl"));
        c.add(refused("CL exponent", POST + "Content-Length: 1e1\r\n\r\nabcdefghij"));
        c.add(refused("CL empty", POST + "Content-Length:\r\n\r\n"));
        c.add(refused("CL 19 digits", POST + "Content-Length: 1000000000000000000\r\n\r\n"));
        c.add(refused("CL 30 digits (overflow)", POST + "Content-Length: 184467440737095516160000000000\r\n\r\n"));
        c.add(refused("CL with a space before the colon", POST + "Content-Length : 3\r\n\r\nabc"));
        c.add(refused("CL over the limit", POST + "Content-Length: 999999999999\r\n\r\n", 413));
        c.add(accepted("CL twice, identical", POST + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc"));
        c.add(accepted("CL list, identical", POST + "Content-Length: 3, 3\r\n\r\nabc"));
        c.add(accepted("CL with leading zeros", POST + "Content-Length: 003\r\n\r\nabc"));
        // field syntax (RFC 9112 section 5)
        c.add(refused("space before the colon", "GET /echo HTTP/1.1\r\nHost : t\r\n\r\n"));
        c.add(refused("tab before the colon", "GET /echo HTTP/1.1\r\n" + H + "X-A\t: 1\r\n\r\n"));
        c.add(refused("obs-fold", "GET /echo HTTP/1.1\r\n" + H + "X-A: 1\r\n 2\r\n\r\n"));
        c.add(refused("obs-fold with a tab", "GET /echo HTTP/1.1\r\n" + H + "X-A: 1\r\n\t2\r\n\r\n"));
        c.add(refused("NUL in a value", "GET /echo HTTP/1.1\r\n" + H + "X-A: a\0b\r\n\r\n"));
        c.add(refused("NUL in a name", "GET /echo HTTP/1.1\r\n" + H + "X\0A: 1\r\n\r\n"));
        c.add(refused("SOH in a value", "GET /echo HTTP/1.1\r\n" + H + "X-A: a\u0001b\r\n\r\n"));
        c.add(refused("DEL in a value", "GET /echo HTTP/1.1\r\n" + H + "X-A: a\u007fb\r\n\r\n"));
        c.add(refused("ESC in a value", "GET /echo HTTP/1.1\r\n" + H + "X-A: a\u001bb\r\n\r\n"));
        c.add(refused("no colon", "GET /echo HTTP/1.1\r\n" + H + "X-A 1\r\n\r\n"));
        c.add(refused("empty name", "GET /echo HTTP/1.1\r\n" + H + ": 1\r\n\r\n"));
        c.add(refused("non-token name", "GET /echo HTTP/1.1\r\n" + H + "X(A): 1\r\n\r\n"));
        // chunked body (RFC 9112 section 7.1)
        c.add(refused("chunk size with junk", CHUNKED + "3x\r\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk size with a sign", CHUNKED + "+3\r\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk size 0x", CHUNKED + "0x3\r\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk size after a space", CHUNKED + " 3\r\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk size then a space", CHUNKED + "3 \r\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk size empty", CHUNKED + "\r\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk size overflow", CHUNKED + "fffffffffffffffffffff\r\n", 413));
        c.add(refused("chunk size over the limit", CHUNKED + "100000\r\n", 413));
        c.add(refused("chunk size line ends with a bare LF", CHUNKED + "3\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk data ends with a bare LF", CHUNKED + "3\r\nabc\n0\r\n\r\n"));
        c.add(refused("chunk data ends with a bare CR", CHUNKED + "3\r\nabc\r0\r\n\r\n"));
        c.add(refused("chunk data longer than its size", CHUNKED + "3\r\nabcd\r\n0\r\n\r\n"));
        c.add(refused("chunk extension with a bare LF", CHUNKED + "3;a=b\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk extension with a bare CR", CHUNKED + "3;a\rb\r\nabc\r\n0\r\n\r\n"));
        c.add(refused("chunk extension with NUL", CHUNKED + "3;a\0b\r\nabc\r\n0\r\n\r\n"));
        c.add(refused("last chunk with a bare LF", CHUNKED + "0\n\r\n"));
        c.add(refused("end of trailers with a bare LF", CHUNKED + "0\r\n\n"));
        c.add(refused("trailer with a bare LF", CHUNKED + "0\r\nT: 1\n\r\n"));
        c.add(refused("trailer with a bare CR", CHUNKED + "0\r\nT: 1\rX: 2\r\n\r\n"));
        c.add(refused("trailer with NUL", CHUNKED + "0\r\nT: \0\r\n\r\n"));
        c.add(refused("trailer folded", CHUNKED + "0\r\nT: 1\r\n 2\r\n\r\n"));
        c.add(refused("trailers over the limit", CHUNKED + "0\r\n" + "T: 1234567890\r\n".repeat(100) + "\r\n", 431));
        c.add(accepted("chunk extension after BWS", CHUNKED + "3 ;a=b\r\nabc\r\n0\r\n\r\n"));
        c.add(accepted("chunk size with leading zeros", CHUNKED + "0003\r\nabc\r\n000\r\n\r\n"));
        c.add(accepted("chunked with trailers", CHUNKED + "3\r\nabc\r\n0\r\nT: 1\r\nU: 2\r\n\r\n"));
        // Host (RFC 9110 section 7.2, RFC 9112 section 3.2)
        c.add(refused("Host missing on HTTP/1.1", "GET /echo HTTP/1.1\r\n\r\n"));
        c.add(refused("Host twice", "GET /echo HTTP/1.1\r\n" + H + H + "\r\n"));
        c.add(refused("Host twice, different", "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
        c.add(refused("Host with a space", "GET /echo HTTP/1.1\r\nHost: a b\r\n\r\n"));
        c.add(refused("Host with a slash", "GET /echo HTTP/1.1\r\nHost: a/b\r\n\r\n"));
        c.add(refused("Host with userinfo", "GET /echo HTTP/1.1\r\nHost: u@a\r\n\r\n"));
        c.add(refused("Host with a bad port", "GET /echo HTTP/1.1\r\nHost: a:8x\r\n\r\n"));
        c.add(refused("Host with a long port", "GET /echo HTTP/1.1\r\nHost: a:123456\r\n\r\n"));
        c.add(refused("Host unclosed IP literal", "GET /echo HTTP/1.1\r\nHost: [::1\r\n\r\n"));
        c.add(refused("Host list", "GET /echo HTTP/1.1\r\nHost: a, b\r\n\r\n"));
        c.add(refused("Host twice on HTTP/1.0", "GET /echo HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"));
        c.add(accepted("Host IPv6 with port", "GET /echo HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"));
        c.add(accepted("Host empty", "GET /echo HTTP/1.1\r\nHost:\r\n\r\n"));
        c.add(accepted("Host name with port", "GET /echo HTTP/1.1\r\nHost: www.example.com:80\r\n\r\n"));
        c.add(refused("absolute-form without Host", "GET http://a.example/echo HTTP/1.1\r\n\r\n"));
        c.add(refused("absolute-form with userinfo", "GET http://u@a.example/echo HTTP/1.1\r\n" + H + "\r\n"));
        c.add(refused("absolute-form with a bad authority", "GET http://a%zz/echo HTTP/1.1\r\n" + H + "\r\n"));
        c.add(accepted("absolute-form with another Host", "GET http://a.example/echo HTTP/1.1\r\nHost: b.example\r\n\r\n"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void statusAndConnection(String name, String request, int status, boolean closed) throws Exception {
        int handledBefore = f.handler.handled.get();
        try (RawClient c = new RawClient(f.port())) {
            RawClient.Response r = c.send(request).read();
            assertEquals(status, r.status, name + ": " + r);
            if (closed) {
                assertEquals("application/json", r.header("content-type"), name);
                assertNotNull(r.json().get("error"), name);
                assertEquals("close", r.header("connection"), name);
                assertTrue(c.isClosedByServer(), name + ": connection left open");
                assertEquals(handledBefore, f.handler.handled.get(), name + ": a refused request reached the handler");
            } else {
                assertEquals(200, c.send("GET /echo HTTP/1.1\r\n" + H + "\r\n").read().status, name + ": next request");
            }
        }
    }

    @Test
    void theSmuggledRequestNeverReachesTheHandler() throws Exception {
        int handledBefore = f.handler.handled.get();
        try (RawClient c = new RawClient(f.port())) {
            c.send("GET /echo HTTP/1.1\r\nHost: localhost\r\nDummy: x\nContent-Length: 23\r\n\r\n"
                    + "GET / HTTP/1.1\r\nDummy: GET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(400, c.read().status);
            assertTrue(c.isClosedByServer(), "one response, then EOF");
        }
        assertEquals(handledBefore, f.handler.handled.get());
    }

    @Test
    void theFragmentIsDroppedBeforeRouting() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            JsonNode j = c.send("GET /echo?page=1#posts-17408 HTTP/1.1\r\n" + H + "\r\n").read().json();
            assertEquals("/echo", j.get("path").asText());
            assertEquals("page=1", j.get("query").asText());
            assertEquals("/echo?page=1", j.get("target").asText());
            JsonNode k = c.send("POST /echo#x?y HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n").read().json();
            assertEquals("/echo", k.get("path").asText());
            assertEquals("", k.get("query").asText());
            assertEquals("/echo", k.get("target").asText());
            assertEquals("abc", k.get("body").asText());
            assertFalse(k.toString().contains("#"), k.toString());
        }
    }

    @Test
    void absoluteFormAuthorityWinsOverHost() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            JsonNode j = c.send("GET http://a.example:8080/echo HTTP/1.1\r\nHost: b.example\r\n\r\n").read().json();
            List<String> headers = new ArrayList<>();
            j.get("headers").forEach(n -> headers.add(n.asText()));
            assertEquals(List.of("Host", "a.example:8080"), headers);
        }
    }
}
