package dev.uhttp.workers.dispatcher;

import java.time.Duration;

/** The argument checks of the settings builders: one message form for every bad value, apart from the settings. */
final class SettingChecks {
    private SettingChecks() {
    }

    static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
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
