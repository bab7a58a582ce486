package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small pieces of the engine: chunk encoding, the bodyless-status rule, field rules. */
class EnginePiecesTest {

    @Test
    void chunkSizeLinesAreLowercaseHexWithoutLeadingZeros() {
        assertEquals("1\r\n", new String(ChunkEncoder.sizeLine(1), StandardCharsets.US_ASCII));
        assertEquals("f\r\n", new String(ChunkEncoder.sizeLine(15), StandardCharsets.US_ASCII));
        assertEquals("10\r\n", new String(ChunkEncoder.sizeLine(16), StandardCharsets.US_ASCII));
        assertEquals("10000\r\n", new String(ChunkEncoder.sizeLine(65536), StandardCharsets.US_ASCII));
        assertEquals("7fffffff\r\n", new String(ChunkEncoder.sizeLine(Integer.MAX_VALUE), StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> ChunkEncoder.sizeLine(0));
    }

    @Test
    void bodylessStatuses() {
        for (int s : new int[] {100, 101, 103, 199, 204, 304}) {
            assertTrue(HttpExchange.isBodyless(s), "" + s);
        }
        for (int s : new int[] {200, 201, 205, 206, 301, 302, 400, 404, 500}) {
            assertFalse(HttpExchange.isBodyless(s), "" + s);
        }
    }

    @Test
    void fieldRules() throws Exception {
        assertEquals(0, FieldRules.contentLength("0"));
        assertEquals(12, FieldRules.contentLength("12 , 12,12"));
        assertEquals(400, assertThrows(HttpError.class, () -> FieldRules.contentLength("12,13")).status);
        assertEquals(400, assertThrows(HttpError.class, () -> FieldRules.contentLength(",")).status);
        FieldRules.transferEncoding("chunked");
        FieldRules.transferEncoding(" Chunked\t");
        assertEquals(501, assertThrows(HttpError.class, () -> FieldRules.transferEncoding("gzip,chunked")).status);
        assertEquals(400, assertThrows(HttpError.class, () -> FieldRules.transferEncoding("chunked,gzip")).status);
        for (String ok : new String[] {"", "a", "a.b-c_d~e", "a:1", "a:", "[::1]", "[::1]:443", "[v1.x]", "%41b", "x!$&'()*+,;=y"}) {
            FieldRules.host(ok, true);
        }
        for (String bad : new String[] {" a", "a b", "a/b", "a@b", "a:b", "a:123456", "[::1", "[]", "[::1]x", "%4", "%zz", ":80", "a\u00e9"}) {
            assertEquals(400, assertThrows(HttpError.class, () -> FieldRules.host(bad, true), bad).status);
        }
        assertThrows(HttpError.class, () -> FieldRules.host("", false));
    }
}
