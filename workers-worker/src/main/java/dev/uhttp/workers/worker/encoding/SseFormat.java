package dev.uhttp.workers.worker.encoding;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events wire format (WHATWG HTML, "Server-sent events"): an event is {@code event:},
 * {@code id:} and {@code retry:} lines when given, then one {@code data:} line per line of data, then a
 * blank line. Text is split at {@code \r\n}, {@code \r} and {@code \n}; a Map, List, record or other
 * object is one line of JSON; {@code byte[]} is UTF-8 text; null is one empty {@code data:} line.
 * Stateless and thread-safe.
 */
public final class SseFormat {

    private SseFormat() {
    }

    /** The bytes of one event. */
    public static byte[] event(Object data, String event, String id, Integer retry) {
        StringBuilder b = new StringBuilder(64);
        if (event != null) {
            b.append("event: ").append(field("event", event)).append('\n');
        }
        if (id != null) {
            if (id.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an SSE id must not contain NUL");
            }
            b.append("id: ").append(field("id", id)).append('\n');
        }
        if (retry != null) {
            if (retry < 0) {
                throw new IllegalArgumentException("retry must not be negative, got " + retry);
            }
            b.append("retry: ").append(retry.intValue()).append('\n');
        }
        lines(b, "data: ", text(data));
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of a comment ({@code : text} lines and a blank line), which clients ignore. */
    public static byte[] comment(String text) {
        StringBuilder b = new StringBuilder(16);
        lines(b, ": ", text == null ? "" : text);
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object data) {
        if (data == null) {
            return "";
        }
        if (data instanceof CharSequence s) {
            return s.toString();
        }
        if (data instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return Json.mapper().writeValueAsString(data); // one line: the mapper does not indent
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise a " + data.getClass().getName()
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void lines(StringBuilder b, String prefix, String text) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                b.append(prefix).append(text, start, i).append('\n');
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        b.append(prefix).append(text, start, n).append('\n');
    }

    private static String field(String name, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an SSE " + name + " must not contain a line break: '" + value + "'");
        }
        return value;
    }
}
