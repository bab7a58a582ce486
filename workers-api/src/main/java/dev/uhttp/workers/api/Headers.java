package dev.uhttp.workers.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * HTTP header fields, immutable: names compared case-insensitively, a name may repeat, fields kept in
 * arrival order (the JDK's {@code java.net.http.HttpHeaders}, for the server side).
 *
 * <pre>{@code
 * String type = headers.first("content-type");       // null when absent
 * List<String> accepts = headers.all("Accept");       // every field of that name
 * String forwarded = headers.joined("X-Forwarded-For"); // repeated fields joined with ", "
 * }</pre>
 */
public final class Headers {
    private static final Headers EMPTY = new Headers(new String[0]);

    /** {@code [name0, value0, name1, value1, ...]}, never changed after construction. */
    private final String[] fields;

    private Headers(String[] fields) {
        this.fields = fields;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Headers from names and values in turn: {@code Headers.of("Accept", "text/html", "Accept", "*&#47;*")}.
     *
     * @throws IllegalArgumentException for an odd count or a null name or value
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("headers come as name, value pairs; got " + namesAndValues.length + " strings");
        }
        for (String s : namesAndValues) {
            if (s == null) {
                throw new IllegalArgumentException("a header name or value is null");
            }
        }
        return namesAndValues.length == 0 ? EMPTY : new Headers(namesAndValues.clone());
    }

    /** The number of fields (a repeated name counts each time). */
    public int size() {
        return fields.length / 2;
    }

    /** Whether there are none. */
    public boolean isEmpty() {
        return fields.length == 0;
    }

    /** Whether a field named {@code name} is present. */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /** The first value of {@code name}, or null. */
    public String first(String name) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /** Every value of {@code name} in arrival order (empty when absent). */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                values.add(fields[i + 1]);
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** Every value of {@code name} joined with {@code ", "} (RFC 9110 §5.3), or null when absent. */
    public String joined(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /** The name of field {@code index} as it arrived ({@code 0 <= index < size()}). */
    public String name(int index) {
        return fields[2 * Objects.checkIndex(index, size())];
    }

    /** The value of field {@code index}. */
    public String value(int index) {
        return fields[2 * Objects.checkIndex(index, size()) + 1];
    }

    /** Calls {@code action} with each field's name and value, in arrival order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < fields.length; i += 2) {
            action.accept(fields[i], fields[i + 1]);
        }
    }

    /** The distinct names in order of first arrival, as first spelled. */
    public List<String> names() {
        Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            if (seen.putIfAbsent(fields[i], fields[i]) == null) {
                names.add(fields[i]);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** A map by name (looked up case-insensitively) to every value in arrival order. */
    public Map<String, List<String>> toMap() {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < fields.length; i += 2) {
            map.computeIfAbsent(fields[i], k -> new ArrayList<>(1)).add(fields[i + 1]);
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(map);
    }

    /** The fields as {@code [name0, value0, ...]} (a copy). */
    public String[] toArray() {
        return fields.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && Arrays.equals(fields, h.fields);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fields);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < fields.length; i += 2) {
            b.append(i == 0 ? "" : ", ").append(fields[i]).append(": ").append(fields[i + 1]);
        }
        return b.append('}').toString();
    }
}
