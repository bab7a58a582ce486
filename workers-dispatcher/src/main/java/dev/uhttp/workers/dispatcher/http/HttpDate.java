package dev.uhttp.workers.dispatcher.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP dates (IMF-fixdate); the {@code Date} header line is formatted at most once per second. */
final class HttpDate {
    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedLine;

    /** {@code "Date: ...\r\n"} for the current second; loop thread only. */
    byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000;
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedLine = ("Date: " + format(second) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        return cachedLine;
    }

    static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /** Epoch seconds of an HTTP date (IMF-fixdate or RFC 1123 with a one-digit day), or -1 if unparseable. */
    static long parse(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        try {
            return ZonedDateTime.parse(v, IMF_FIXDATE).toEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            } catch (DateTimeParseException e2) {
                return -1;
            }
        }
    }
}
