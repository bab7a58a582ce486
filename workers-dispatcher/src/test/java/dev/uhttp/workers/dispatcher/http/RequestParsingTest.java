package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        RequestParser p = new RequestParser(HttpLimits.defaults());
        byte[] bytes = req.getBytes(StandardCharsets.ISO_8859_1);
        int headersAt = -1;
        int completeAt = -1;
        for (int i = 0; i < bytes.length; i++) {
            RequestParser.Event ev = p.parse(ByteBuffer.wrap(bytes, i, 1).slice());
            if (ev == RequestParser.HEADERS) headersAt = i;
            if (ev == RequestParser.COMPLETE) completeAt = i;
        }
        assertEquals(bytes.length - 1, completeAt);
        assertEquals(req.indexOf("\r\n\r\n") + 3, headersAt);
        assertEquals("POST", p.head().method());
        assertEquals("/p", p.head().path());
        assertEquals("q=1", p.head().query());
        assertEquals("v", p.head().headers()[5]);
        assertArrayEquals("abcde".getBytes(), p.takeBody());
    }

    @Test
    void aBodyOfAnnouncedLengthIsReadIntoItsOwnBufferAndNeverPastItsEnd() throws Exception {
        HttpLimits config = HttpLimits.builder().maxContentLength(1 << 20).build();
        int size = 300_001;
        byte[] body = TestHandler.pattern(size);
        RequestParser p = new RequestParser(config);
        assertNull(p.bodyTarget(), "no body before the headers");
        byte[] head = ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(RequestParser.HEADERS, p.parse(ByteBuffer.wrap(head)));
        int received = 0;
        RequestParser.Event event = RequestParser.NEED_MORE;
        java.nio.ByteBuffer target = null;
        while (event != RequestParser.COMPLETE) {
            target = p.bodyTarget();
            assertTrue(target.remaining() > 0 && target.remaining() <= size - received,
                    "the target ends with the body: " + target.remaining() + " after " + received);
            int n = Math.min(target.remaining(), 50_000); // what one read brings
            target.put(body, received, n);
            received += n;
            event = p.bodyRead(n);
        }
        assertEquals(size, received);
        byte[] taken = p.takeBody();
        assertSame(target.array(), taken, "the body is the buffer that was read into");
        assertArrayEquals(body, taken);
        assertNull(p.bodyTarget(), "none between requests");

        RequestParser chunked = new RequestParser(config);
        chunked.parse(ByteBuffer.wrap("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(chunked.bodyTarget(), "a chunked body is decoded from the read buffer");
    }

    @Test
    void bodyBufferGrowsWithArrivingBytesAndEndsExactlySized() throws Exception {
        HttpLimits config = HttpLimits.builder().maxContentLength(1 << 20).build();
        int size = 300_001;
        byte[] body = TestHandler.pattern(size);
        for (boolean chunked : new boolean[] {false, true}) {
            RequestParser p = new RequestParser(config);
            String head = "POST / HTTP/1.1\r\nHost: h\r\n" + (chunked
                    ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(size) + "\r\n"
                    : "Content-Length: " + size + "\r\n\r\n");
            ByteBuffer hb = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(RequestParser.HEADERS, p.parse(hb));
            assertEquals(RequestParser.NEED_MORE, p.parse(hb)); // the chunk-size line, if any
            assertTrue(p.bodyCapacity() <= RequestParser.INITIAL_BODY_BUFFER, "announced, not allocated");
            RequestParser.Event ev = RequestParser.NEED_MORE;
            for (int off = 0; off < size; off += 1000) {
                ev = p.parse(ByteBuffer.wrap(body, off, Math.min(1000, size - off)).slice());
                int received = Math.min(off + 1000, size);
                long growth = chunked ? 2 : 4; // chunks double; a body of announced length grows fourfold
                assertTrue(p.bodyCapacity() <= Math.max(growth * received, received + RequestParser.INITIAL_BODY_BUFFER),
                        "capacity " + p.bodyCapacity() + " after " + received + " bytes");
            }
            if (chunked) {
                assertEquals(RequestParser.COMPLETE, p.parse(ByteBuffer.wrap("\r\n0\r\n\r\n".getBytes())));
            } else {
                assertEquals(RequestParser.COMPLETE, ev);
                assertEquals(size, p.bodyCapacity(), "the last growth step stops at the announced length");
            }
            assertArrayEquals(body, p.takeBody());
        }
        RequestParser small = new RequestParser(config);
        small.parse(ByteBuffer.wrap("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab".getBytes()));
        assertEquals(5, small.bodyCapacity());
    }

    @Test
    void errorBodyEscapesControlCharacters() throws Exception {
        StringBuilder sb = new StringBuilder("q\"b\\");
        for (char c = 0; c < 0x20; c++) {
            sb.append(c);
        }
        sb.append('\u007f').append('\u00e9').append('\u2028');
        String msg = sb.toString();
        java.util.Locale saved = java.util.Locale.getDefault();
        String json;
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("th-TH-u-nu-thai")); // non-ASCII digits
            json = new String(JsonErrors.body(msg), StandardCharsets.UTF_8);
        } finally {
            java.util.Locale.setDefault(saved);
        }
        for (int i = 0; i < json.length(); i++) {
            assertTrue(json.charAt(i) >= 0x20, "raw control character in " + json);
        }
        assertTrue(json.contains("\\u0000") && json.toLowerCase(java.util.Locale.ROOT).contains("\\u001f"), json);
        assertEquals(msg, TestHandler.JSON.readTree(json).get("error").asText());
    }

    @Test
    void chunkSizeOverflowIs413() {
        ChunkedDecoder d = new ChunkedDecoder(1000, 1000);
        HttpError e = assertThrows(HttpError.class,
                () -> d.decode(ByteBuffer.wrap("ffffffffffffffffff\r\n".getBytes())));
        assertEquals(413, e.status);
    }
}
