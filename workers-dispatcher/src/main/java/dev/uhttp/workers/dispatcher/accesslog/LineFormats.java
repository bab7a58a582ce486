package dev.uhttp.workers.dispatcher.accesslog;

import dev.uhttp.workers.dispatcher.http.JsonErrors;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The two line formats: nginx's {@code combined} and one JSON object per line. Loop thread. */
final class LineFormats {
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final ZoneId zone = ZoneId.systemDefault();
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedLocalTime;

    /** What one line says about one exchange. */
    record Entry(long epochMillis, String remoteAddress, String method, String target, String protocol, int status,
                 long bytesSent, long durationMicros, String pool, int workerId, String requestId, String userAgent,
                 String referer) {
    }

    /**
     * {@code $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
     * "$http_referer" "$http_user_agent"}, escaped as nginx escapes (a {@code "}, a {@code \}, a control
     * character or one above 126 as {@code \xHH}; absent values as {@code -}).
     */
    String combined(Entry e) {
        StringBuilder b = new StringBuilder(160);
        b.append(e.remoteAddress()).append(" - - [").append(localTime(e.epochMillis())).append("] \"");
        if (e.method().isEmpty()) {
            b.append('-');
        } else {
            escape(b, e.method());
            b.append(' ');
            escape(b, e.target());
            b.append(' ').append(e.protocol());
        }
        b.append("\" ").append(e.status()).append(' ').append(e.bytesSent()).append(" \"");
        escapeOrDash(b, e.referer());
        b.append("\" \"");
        escapeOrDash(b, e.userAgent());
        return b.append('"').toString();
    }

    /** One JSON object: the combined fields and the duration, pool, worker and request id. */
    String json(Entry e) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":\"").append(Instant.ofEpochMilli(e.epochMillis())).append('"');
        field(b, "remote_addr", e.remoteAddress());
        field(b, "method", e.method().isEmpty() ? null : e.method());
        field(b, "target", e.method().isEmpty() ? null : e.target());
        field(b, "protocol", e.protocol());
        b.append(",\"status\":").append(e.status());
        b.append(",\"bytes_sent\":").append(e.bytesSent());
        b.append(",\"duration_ms\":").append(e.durationMicros() / 1000).append('.');
        long micros = e.durationMicros() % 1000;
        b.append(micros < 100 ? (micros < 10 ? "00" : "0") : "").append(micros);
        field(b, "pool", e.pool());
        b.append(",\"worker\":").append(e.workerId() < 0 ? "null" : Integer.toString(e.workerId()));
        field(b, "request_id", e.requestId());
        field(b, "user_agent", e.userAgent());
        field(b, "referer", e.referer());
        return b.append('}').toString();
    }

    private String localTime(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            cachedLocalTime = LOCAL_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), zone));
            cachedSecond = second;
        }
        return cachedLocalTime;
    }

    private static void escapeOrDash(StringBuilder b, String s) {
        if (s == null || s.isEmpty()) {
            b.append('-');
        } else {
            escape(b, s);
        }
    }

    /** nginx's default escaping; characters above 255 (never from the parser, which reads Latin-1) as their UTF-8 bytes. */
    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || (c > 0x7e && c <= 0xff)) {
                hex(b, c);
            } else if (c > 0xff) {
                for (byte x : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    hex(b, x & 0xff);
                }
            } else {
                b.append(c);
            }
        }
    }

    private static void hex(StringBuilder b, int c) {
        b.append("\\x").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
        } else {
            JsonErrors.quote(b, value);
        }
    }
}
