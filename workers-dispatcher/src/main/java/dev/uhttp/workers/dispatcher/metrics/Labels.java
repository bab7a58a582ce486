package dev.uhttp.workers.dispatcher.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for label sets, which keep their order (it is the order they are written in). */
final class Labels {
    private Labels() {
    }

    /** {@code name=value, ...} from pairs, in order. */
    static Map<String, String> of(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** {@code labels} and one more. */
    static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(labels);
        m.put(name, value);
        return java.util.Collections.unmodifiableMap(m);
    }
}
