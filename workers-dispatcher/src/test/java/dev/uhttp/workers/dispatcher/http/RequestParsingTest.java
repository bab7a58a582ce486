package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Unit tests of the parser pieces, fed byte by byte to exercise every split point. */
class RequestParsingTest {

    @Test
    void targets() throws Exception {
        assertEquals("/a/c", RequestTarget.parse("GET", "/a/b/../c").path);
        assertEquals("/", RequestTarget.parse("GET", "/a/..").path);
        assertEquals("/a/", RequestTarget.parse("GET", "/a/.").path);
        assertEquals("/a b/ü", RequestTarget.parse("GET", "/a%20b/%C3%BC").path);
        assertEquals("x=%2F", RequestTarget.parse("GET", "/p?x=%2F").query);
        assertEquals("/", RequestTarget.parse("GET", "HTTP://h:80").path);
        assertEquals("/x/y", RequestTarget.parse("GET", "https://h/x//y").path);
        assertEquals(400, assertThrows(HttpError.class, () -> RequestTarget.parse("GET", "/..")).status);
        assertEquals(400, assertThrows(HttpError.class, () -> RequestTarget.parse("GET", "/%2e%2e/x")).status);
        assertEquals(400, assertThrows(HttpError.class, () -> RequestTarget.parse("GET", "http:///x")).status);
        assertEquals(400, assertThrows(HttpError.class, () -> RequestTarget.parse("GET", "/a#frag")).status);
    }

    @Test
    void requestSplitAtEveryByte() throws Exception {
        String req = "POST /p?q=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nX-A:  v  \r\n\r\n"
                + "3;e=1\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n";
        RequestParser p = new RequestParser(HttpServerConfig.defaults());
        byte[] bytes = req.getBytes(StandardCharsets.ISO_8859_1);
        int headersAt = -1;
        int completeAt = -1;
        for (int i = 0; i < bytes.length; i++) {
            int ev = p.parse(ByteBuffer.wrap(bytes, i, 1).slice());
            if (ev == RequestParser.HEADERS) headersAt = i;
            if (ev == RequestParser.COMPLETE) completeAt = i;
        }
        assertEquals(bytes.length - 1, completeAt);
        assertEquals(req.indexOf("\r\n\r\n") + 3, headersAt);
        assertEquals("POST", p.method);
        assertEquals("/p", p.path);
        assertEquals("q=1", p.query);
        assertEquals("v", p.headers.get(5));
        assertArrayEquals("abcde".getBytes(), p.takeBody());
    }

    @Test
    void chunkSizeOverflowIs413() {
        ChunkedDecoder d = new ChunkedDecoder(1000, 1000);
        HttpError e = assertThrows(HttpError.class,
                () -> d.decode(ByteBuffer.wrap("ffffffffffffffffff\r\n".getBytes())));
        assertEquals(413, e.status);
    }
}
