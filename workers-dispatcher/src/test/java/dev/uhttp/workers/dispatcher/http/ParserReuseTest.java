package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A connection's parser gives a repeated request the head it built before (immutable, so shared),
 * and a new head as soon as any one thing differs; its recent strings hand back only equal bytes.
 */
class ParserReuseTest {
    private final RequestParser parser = new RequestParser(HttpLimits.builder().build());

    private RequestHead parse(String request) throws HttpError {
        ByteBuffer b = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(RequestParser.COMPLETE, parser.parse(b));
        RequestHead head = parser.head();
        parser.reset();
        return head;
    }

    @Test
    void theSameRequestAgainGetsTheSameHeadAndAnyDifferenceANewOne() throws Exception {
        String base = "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\n\r\n";
        RequestHead first = parse(base);
        assertSame(first, parse(base), "repeated: the head before");
        String[] variants = {
            "GET /a/b?x=2 HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\n\r\n", // query
            "GET /a/c?x=1 HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\n\r\n", // path
            "HEAD /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\n\r\n", // method
            "GET /a/b?x=1 HTTP/1.0\r\nHost: h\r\nX-Tag: one\r\n\r\n", // version (and so keep-alive)
            "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Tag: two\r\n\r\n", // a value
            "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Tog: one\r\n\r\n", // a name
            "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n", // a field fewer
            "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\nConnection: close\r\n\r\n", // keep-alive
            "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\nExpect: 100-continue\r\n\r\n",
        };
        for (String v : variants) {
            RequestHead head = parse(v);
            assertNotSame(first, head, v);
            RequestHead fresh = freshParse(v); // what a parser that saw nothing before makes of it
            assertEquals(fresh.method(), head.method(), v);
            assertEquals(fresh.path(), head.path(), v);
            assertEquals(fresh.query(), head.query(), v);
            assertEquals(fresh.http11(), head.http11(), v);
            assertEquals(fresh.keepAlive(), head.keepAlive(), v);
            assertEquals(fresh.expectContinue(), head.expectContinue(), v);
            assertArrayEquals(fresh.headers(), head.headers(), v);
            RequestHead again = parse(base);
            assertNotSame(head, again);
            assertArrayEquals(new String[] {"Host", "h", "X-Tag", "one"}, again.headers());
            assertEquals("x=1", again.query());
        }
    }

    @Test
    void credentialsAreNotKeptInTheRecentStrings() throws Exception {
        String request = "GET / HTTP/1.1\r\nHost: h\r\nCookie: s=secret\r\nAuthorization: Bearer t0k3n\r\n\r\n";
        RequestHead one = freshParse(request);
        RequestHead two = freshParse(request);
        assertSame(one.headers()[1], two.headers()[1], "an ordinary value comes from the table");
        assertEquals("s=secret", two.headers()[3]);
        assertNotSame(one.headers()[3], two.headers()[3], "a cookie is a string of its request's own");
        assertNotSame(one.headers()[5], two.headers()[5], "so is an authorization");
    }

    private static RequestHead freshParse(String request) throws HttpError {
        RequestParser p = new RequestParser(HttpLimits.builder().build());
        assertEquals(RequestParser.COMPLETE, p.parse(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1))));
        return p.head();
    }

    @Test
    void recentStringsGiveBackOnlyEqualBytes() {
        byte[] a = "xHost\u00e9y".getBytes(StandardCharsets.ISO_8859_1);
        String s = RecentStrings.of(a, 1, 5);
        assertEquals("Host\u00e9", s);
        assertSame(s, RecentStrings.of(a.clone(), 1, 5), "the same bytes: the same string");
        assertEquals("Hosu\u00e9", RecentStrings.of("Hosu\u00e9".getBytes(StandardCharsets.ISO_8859_1), 0, 5));
        assertEquals("Host", RecentStrings.of(a, 1, 4), "a prefix is another string");
        for (int i = 0; i < 2000; i++) { // many strings, colliding slots: each one right
            String v = "v" + i;
            assertEquals(v, RecentStrings.of(v.getBytes(StandardCharsets.ISO_8859_1), 0, v.length()));
        }
        String longer = "L".repeat(RecentStrings.MAX_BYTES + 1);
        byte[] lb = longer.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(longer, RecentStrings.of(lb, 0, lb.length));
        assertNotSame(RecentStrings.of(lb, 0, lb.length), RecentStrings.of(lb, 0, lb.length), "not kept");
    }
}
