package dev.uhttp.workers.dispatcher;

import java.time.Duration;

/**
 * The argument checks of every setting (DispatcherBuilder, WorkerPool): one message form for every bad
 * value, {@code "<setting> must be <what it must be>, got <value>"}, thrown at once by the setter as an
 * {@link IllegalArgumentException}; what depends on several settings is checked by {@code build()}.
 */
final class SettingChecks {
    private SettingChecks() {
    }

    static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got " + (s == null ? null : "'" + s + "'"));
        }
        return s;
    }

    static <T> T requireValue(T v, String what) {
        if (v == null) {
            throw new IllegalArgumentException(what + " must be given, got null");
        }
        return v;
    }

    static int requirePort(int port, String what) {
        return (int) requireRange(port, 0, 65535, what);
    }

    static long requireRange(long v, long min, long max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    static String requirePath(String path, String what) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException(what + " must be a path starting with '/', got "
                    + (path == null ? null : "'" + path + "'"));
        }
        return path;
    }

    static Duration requireNotNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, got " + d);
        }
        return d;
    }

    static int requireAtLeast(int v, int min, String what) {
        return (int) requireAtLeast((long) v, min, what);
    }

    static long requireAtLeast(long v, long min, String what) {
        if (v < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ", got " + v);
        }
        return v;
    }

    static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }
}
