package dev.uhttp.workers.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RESP2 and RESP3 values, whole and byte by byte, and input that is not RESP. */
class RespDecoderTest {

    private static RespDecoder fed(String text) {
        RespDecoder d = new RespDecoder(1024, 100, 8);
        d.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        return d;
    }

    @Test
    void resp2Values() throws Exception {
        RespDecoder d = fed("+OK\r\n-ERR no\r\n:42\r\n$3\r\nabc\r\n$-1\r\n*-1\r\n*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n");
        assertEquals("OK", d.next());
        assertEquals(new RespDecoder.RespError("ERR no"), d.next());
        assertEquals(42L, d.next());
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), (byte[]) d.next());
        assertEquals(RespDecoder.NULL, d.next());
        assertEquals(RespDecoder.NULL, d.next());
        List<?> push = (List<?>) d.next();
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), (byte[]) push.get(2));
        assertNull(d.next());
        assertEquals(0, d.buffered());
    }

    @Test
    void resp3Values() throws Exception {
        RespDecoder d = fed("_\r\n#t\r\n,1.5\r\n,inf\r\n(12345678901234567890\r\n!3\r\nbad\r\n=7\r\ntxt:abc\r\n"
                + "%1\r\n+k\r\n:1\r\n~1\r\n:2\r\n>2\r\n+a\r\n+b\r\n|1\r\n+ttl\r\n:3\r\n:9\r\n");
        assertEquals(RespDecoder.NULL, d.next());
        assertEquals(Boolean.TRUE, d.next());
        assertEquals(1.5, d.next());
        assertEquals(Double.POSITIVE_INFINITY, d.next());
        assertEquals(new java.math.BigInteger("12345678901234567890"), d.next());
        assertEquals(new RespDecoder.RespError("bad"), d.next());
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), (byte[]) d.next());
        assertEquals(Map.of("k", 1L), d.next());
        assertEquals(List.of(2L), d.next());
        assertEquals(List.of("a", "b"), d.next());
        assertEquals(9L, d.next(), "an attribute is dropped, its value kept");
    }

    @Test
    void byteByByteGivesTheSameValues() throws Exception {
        byte[] all = "*2\r\n$5\r\nhello\r\n%1\r\n+k\r\n$0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        RespDecoder d = new RespDecoder(1024, 100, 8);
        Object value = null;
        for (int i = 0; i < all.length; i++) {
            d.feed(ByteBuffer.wrap(all, i, 1));
            value = d.next();
            if (i < all.length - 1) {
                assertNull(value, "incomplete after " + (i + 1) + " bytes");
            }
        }
        List<?> list = (List<?>) value;
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), (byte[]) list.get(0));
    }

    @Test
    void notRespOrPastTheLimitsIsAnError() {
        assertThrows(RespException.class, () -> fed("?\r\n").next());
        assertThrows(RespException.class, () -> fed(":x\r\n").next());
        assertThrows(RespException.class, () -> fed("+a\rb\r\n").next());
        assertThrows(RespException.class, () -> fed("$2000\r\n").next(), "bulk over the limit");
        assertThrows(RespException.class, () -> fed("*101\r\n").next(), "more elements than the limit");
        assertThrows(RespException.class, () -> fed("*1\r\n".repeat(10) + ":1\r\n").next(), "nested too deep");
        assertThrows(RespException.class, () -> fed("$1\r\nab\r\n").next(), "bulk not ended by CRLF");
    }
}
