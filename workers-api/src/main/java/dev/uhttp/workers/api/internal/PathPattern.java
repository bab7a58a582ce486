package dev.uhttp.workers.api.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled route pattern such as {@code /item/{id:int}/tag/{name}}. Matching is per segment; a
 * trailing slash on the path is ignored ({@code /item/1/} matches {@code /item/{id:int}}), and a value
 * that does not convert to its type is "no match".
 */
public final class PathPattern implements Comparable<PathPattern> {

    private enum Kind { LITERAL, INT, FLOAT, STR }

    private record Segment(Kind kind, String text) {
    }

    private final String source;
    private final List<Segment> segments;

    private PathPattern(String source, List<Segment> segments) {
        this.source = source;
        this.segments = segments;
    }

    /**
     * Compiles {@code pattern}.
     *
     * @throws IllegalArgumentException for an unknown parameter type, an empty or duplicate name, or a
     *                                  malformed {@code {...}} segment; the message names the pattern
     */
    public static PathPattern compile(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': '" + pattern + "'");
        }
        List<Segment> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String part : split(pattern)) {
            if (part.startsWith("{") && part.endsWith("}")) {
                String body = part.substring(1, part.length() - 1);
                int colon = body.indexOf(':');
                String name = colon < 0 ? body : body.substring(0, colon);
                String type = colon < 0 ? "str" : body.substring(colon + 1);
                if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                    throw new IllegalArgumentException("invalid parameter name '" + name + "' in route pattern '" + pattern + "'");
                }
                if (names.contains(name)) {
                    throw new IllegalArgumentException("duplicate parameter '" + name + "' in route pattern '" + pattern + "'");
                }
                names.add(name);
                Kind kind = switch (type) {
                    case "str" -> Kind.STR;
                    case "int" -> Kind.INT;
                    case "float" -> Kind.FLOAT;
                    default -> throw new IllegalArgumentException("unknown parameter type '" + type
                            + "' in route pattern '" + pattern + "' (expected str, int or float)");
                };
                segments.add(new Segment(kind, name));
            } else if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                throw new IllegalArgumentException("malformed segment '" + part + "' in route pattern '" + pattern + "'");
            } else {
                segments.add(new Segment(Kind.LITERAL, part));
            }
        }
        return new PathPattern(pattern, List.copyOf(segments));
    }

    /** The pattern as written. */
    public String source() {
        return source;
    }

    /**
     * The typed parameters when {@code path} matches, else null. Walks the path in place (no list of
     * its segments, no substring for a literal): it runs for every request, against every route.
     */
    public Map<String, Object> match(String path) {
        int end = path.length();
        if (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        int start = path.startsWith("/") ? 1 : 0;
        int n = segments.size();
        if (start >= end) { // no segment at all
            return n == 0 ? Collections.emptyMap() : null;
        }
        Map<String, Object> params = null;
        for (int i = 0; i < n; i++) {
            if (start > end) { // fewer segments than the pattern's
                return null;
            }
            int slash = path.indexOf('/', start);
            int partEnd = slash < 0 || slash >= end ? end : slash;
            Segment segment = segments.get(i);
            if (segment.kind == Kind.LITERAL) {
                if (partEnd - start != segment.text.length() || !path.startsWith(segment.text, start)) {
                    return null;
                }
            } else {
                String part = path.substring(start, partEnd);
                Object value = switch (segment.kind) {
                    case STR -> part.isEmpty() ? null : part;
                    case INT -> parseInt(part);
                    default -> parseFloat(part);
                };
                if (value == null) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(segment.text, value);
            }
            start = partEnd + 1;
        }
        if (start <= end) { // more segments than the pattern's
            return null;
        }
        return params == null ? Collections.emptyMap() : params;
    }

    /** More specific first: at the first differing segment, literal before int, float, then str. */
    @Override
    public int compareTo(PathPattern other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(segments.get(i).kind.ordinal(), other.segments.get(i).kind.ordinal());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(other.segments.size(), segments.size());
    }

    @Override
    public String toString() {
        return source;
    }

    private static List<String> split(String path) {
        int end = path.length();
        if (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        List<String> parts = new ArrayList<>(8);
        int start = path.startsWith("/") ? 1 : 0;
        if (start >= end) {
            return parts;
        }
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0 || slash >= end) {
                parts.add(path.substring(start, end));
                return parts;
            }
            parts.add(path.substring(start, slash));
            start = slash + 1;
        }
    }

    private static Integer parseInt(String s) {
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (i == s.length() || s.length() - i > 10) {
            return null;
        }
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        long v = Long.parseLong(s);
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) v;
    }

    private static Double parseFloat(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!ok) {
                return null; // rejects NaN, Infinity, hex and type suffixes that Double.parseDouble accepts
            }
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
