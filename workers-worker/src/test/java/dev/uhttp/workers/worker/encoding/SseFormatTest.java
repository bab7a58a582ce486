package dev.uhttp.workers.worker.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SseFormatTest {

    static String event(Object data, String event, String id, Integer retry) {
        return new String(SseFormat.event(data, event, id, retry), StandardCharsets.UTF_8);
    }

    @Test
    void textIsOneDataLinePerLine() {
        assertEquals("data: hello\n\n", event("hello", null, null, null));
        assertEquals("data: a\ndata: b\ndata: c\ndata: d\n\n", event("a\nb\r\nc\rd", null, null, null));
        assertEquals("data: a\ndata: \n\n", event("a\n", null, null, null), "a trailing line break is kept");
        assertEquals("data: \n\n", event(null, null, null, null));
        assertEquals("data: é\n\n", event("é".getBytes(StandardCharsets.UTF_8), null, null, null));
    }

    @Test
    void fieldsComeBeforeTheData() {
        assertEquals("event: update\nid: 7\nretry: 1500\ndata: {\"a\":1}\n\n", event(Map.of("a", 1), "update", "7", 1500));
        assertEquals("data: [1,\"x\\ny\"]\n\n", event(List.of(1, "x\ny"), null, null, null), "JSON is one line");
    }

    @Test
    void lineBreaksInFieldsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SseFormat.event("x", "a\nb", null, null));
        assertThrows(IllegalArgumentException.class, () -> SseFormat.event("x", null, "1\r", null));
        assertThrows(IllegalArgumentException.class, () -> SseFormat.event("x", null, null, -1));
    }

    @Test
    void comments() {
        assertEquals(": ping\n\n", new String(SseFormat.comment("ping"), StandardCharsets.UTF_8));
        assertEquals(": a\n: b\n\n", new String(SseFormat.comment("a\nb"), StandardCharsets.UTF_8));
    }
}
