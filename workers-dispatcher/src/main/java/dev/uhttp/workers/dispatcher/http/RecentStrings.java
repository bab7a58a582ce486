package dev.uhttp.workers.dispatcher.http;

import java.nio.charset.StandardCharsets;

/**
 * The short strings the parsers made lately, by a hash of their bytes: the target and the header names
 * and values clients repeat on every request come back as the same immutable strings instead of new
 * ones (and the same strings let a parser see that a request repeats the one before: {@link FramingFields}).
 * A slot holds the last string of its hash, compared byte for byte before it is given out.
 *
 * <p>One table for the JVM, read and written without locks: a slot is one reference and a String is
 * immutable (safely published by its final fields), so a thread reads either an older or a newer
 * string, checks its bytes, and at worst makes a new one (a miss), never a wrong one.
 */
final class RecentStrings {
    /** Longer strings are made anew each time. */
    static final int MAX_BYTES = 128;
    private static final String[] SLOTS = new String[1024];

    private RecentStrings() {
    }

    /** The ISO-8859-1 string of {@code a[p..p+n)}: the recent one with those bytes, else a new one. */
    static String of(byte[] a, int p, int n) {
        if (n > MAX_BYTES) {
            return new String(a, p, n, StandardCharsets.ISO_8859_1);
        }
        int h = n;
        for (int i = p, end = p + n; i < end; i++) {
            h = 31 * h + a[i];
        }
        h *= 0x9E3779B9; // spread the low bits of short strings' hashes
        int slot = (h ^ (h >>> 16)) & (SLOTS.length - 1);
        String s = SLOTS[slot];
        if (s != null && same(s, a, p, n)) {
            return s;
        }
        s = new String(a, p, n, StandardCharsets.ISO_8859_1);
        SLOTS[slot] = s;
        return s;
    }

    private static boolean same(String s, byte[] a, int p, int n) {
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != (a[p + i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
