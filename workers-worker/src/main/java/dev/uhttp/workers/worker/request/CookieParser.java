package dev.uhttp.workers.worker.request;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a {@code Cookie} request header: {@code name=value} pairs separated by {@code ;}, spaces
 * around them ignored, double quotes around a value removed. Malformed pairs (no {@code =}, empty
 * name) are skipped; when a name repeats, the first value wins (browsers send the most specific
 * cookie first).
 */
public final class CookieParser {

    private CookieParser() {
    }

    /** The cookies of {@code header} (which may be null). */
    public static Map<String, String> parse(String header) {
        if (header == null || header.isBlank()) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('"') >= 0) {
                continue;
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            out.putIfAbsent(name, value);
        }
        return Collections.unmodifiableMap(out);
    }
}
