package dev.uhttp.workers.dispatcher.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two line formats, escaping included: what nginx writes, and JSON that parses back. */
class LineFormatsTest {
    private static final long T = 1_764_648_000_123L; // 2025-12-02T04:00:00.123Z

    private static LineFormats.Entry entry(String target, String userAgent, String referer) {
        return new LineFormats.Entry(T, "10.0.0.1", "GET", target, "HTTP/1.1", 200, 1234, 1_500_250, "compute", 2,
                "rid-1", userAgent, referer);
    }

    @Test
    void combinedEscapesAsNginxDoes() {
        String line = new LineFormats().combined(entry("/a\"b\\c\u0001d\u00e9", "ua \"x\"\ttab", null));
        assertTrue(line.startsWith("10.0.0.1 - - ["), line);
        assertTrue(line.endsWith("] \"GET /a\\x22b\\x5Cc\\x01d\\xE9 HTTP/1.1\" 200 1234 \"-\" \"ua \\x22x\\x22\\x09tab\""),
                line);
    }

    @Test
    void aRequestThatCouldNotBeReadIsADash() {
        LineFormats.Entry e = new LineFormats.Entry(T, "::1", "", "", "HTTP/1.1", 400, 30, 0, "none", -1, "r", null, null);
        assertTrue(new LineFormats().combined(e).contains("] \"-\" 400 30 \"-\" \"-\""));
    }

    @Test
    void jsonParsesBackFieldByField() throws Exception {
        String line = new LineFormats().json(entry("/x?q=\"1\"\n", "ua\u0000", "http://r/"));
        Map<?, ?> m = new ObjectMapper().readValue(line, Map.class);
        assertEquals("2025-12-02T04:00:00.123Z", m.get("time"));
        assertEquals("10.0.0.1", m.get("remote_addr"));
        assertEquals("/x?q=\"1\"\n", m.get("target"));
        assertEquals(200, m.get("status"));
        assertEquals(1234, m.get("bytes_sent"));
        assertEquals(1500.25, m.get("duration_ms"));
        assertEquals("compute", m.get("pool"));
        assertEquals(2, m.get("worker"));
        assertEquals("rid-1", m.get("request_id"));
        assertEquals("ua\u0000", m.get("user_agent"));
        assertEquals("http://r/", m.get("referer"));
        assertEquals(-1, line.indexOf('\n'), "one line");
    }

    @Test
    void jsonStringsAreEscapedAsTheErrorBodiesAre() throws Exception {
        // Control characters, DEL, quotes, backslash, non-ASCII, a pair and two lone surrogates.
        String nasty = "a\u0000\u001f\n\u007f\"\\\u00e9\u2028\ud83d\ude00-\ud83d-\ude00";
        String line = new LineFormats().json(entry("/x", nasty, null));
        String error = new String(dev.uhttp.workers.dispatcher.http.JsonErrors.body(nasty),
                java.nio.charset.StandardCharsets.UTF_8);
        String quoted = error.substring("{\"error\":".length(), error.length() - 1);
        assertTrue(line.contains(",\"user_agent\":" + quoted + ","), "one escaper for both: " + line + " / " + error);
        for (int i = 0; i < line.length(); i++) {
            assertTrue(line.charAt(i) >= 0x20, "raw control character in " + line);
        }
        assertTrue(quoted.contains("\u007f") && quoted.contains("\\u0000") && quoted.contains("\\\""), quoted);
        String expected = "a\u0000\u001f\n\u007f\"\\\u00e9\u2028\ud83d\ude00-\ufffd-\ufffd";
        assertEquals(expected, new ObjectMapper().readValue(line, Map.class).get("user_agent"));
        assertEquals(expected, new ObjectMapper().readTree(error).get("error").asText());
        assertTrue(new String(error.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8).contains("\ud83d\ude00"), "a pair stays a pair");
    }
}
