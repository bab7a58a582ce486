package dev.uhttp.workers.dispatcher.http;

import java.nio.charset.StandardCharsets;

/**
 * The short strings one connection's parser made lately, by a hash of their bytes: the target and the
 * header names and values a keep-alive client repeats on every request come back as the same
 * immutable strings instead of new ones. Sharing them is safe (a String never changes); a slot holds
 * the last string of its hash, compared byte for byte before it is given out. One per parser, used on
 * its loop thread only.
 */
final class RecentStrings {
    /** Longer strings are made anew each time. */
    static final int MAX_BYTES = 128;
    private final String[] slots = new String[32];

    /** The ISO-8859-1 string of {@code a[p..p+n)}: the recent one with those bytes, else a new one. */
    String of(byte[] a, int p, int n) {
        if (n > MAX_BYTES) {
            return new String(a, p, n, StandardCharsets.ISO_8859_1);
        }
        int h = n;
        for (int i = p, end = p + n; i < end; i++) {
            h = 31 * h + a[i];
        }
        int slot = (h ^ (h >>> 16)) & (slots.length - 1);
        String s = slots[slot];
        if (s != null && same(s, a, p, n)) {
            return s;
        }
        s = new String(a, p, n, StandardCharsets.ISO_8859_1);
        slots[slot] = s;
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
