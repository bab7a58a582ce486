package dev.uhttp.workers.dispatcher.routing;

import java.util.List;
import java.util.Map;

/** Whether a value can travel to a worker as JSON-like data (what the IPC codec packs). */
final class JsonLike {
    private JsonLike() {
    }

    /** null, booleans, numbers, strings, and lists and maps (string keys) of those, at most 32 deep. */
    static boolean is(Object value) {
        return is(value, 0);
    }

    private static boolean is(Object v, int depth) {
        if (depth > 32) {
            return false;
        }
        if (v == null || v instanceof Boolean || v instanceof Number || v instanceof CharSequence) {
            return true;
        }
        if (v instanceof List<?> list) {
            for (Object item : list) {
                if (!is(item, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !is(e.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
