package dev.uhttp.workers.dispatcher.http;

/**
 * A {@code Range} request header (RFC 9110 section 14.2) read against a representation of known
 * length: the single byte range to send (206), unsatisfiable (416), or "send the whole file" (200).
 *
 * <p>Only one range is served. A header that is not a well-formed {@code bytes} range set, or that
 * asks for more than one range, is ignored (RFC 9110 lets a server ignore {@code Range}): the
 * client gets the whole file with 200, which is always correct, never a multipart body. A valid set
 * of one range that starts at or past the end (or a zero-length suffix, or any range of an empty
 * file) is unsatisfiable.
 *
 * @param first the first byte to send (when {@link #kind} is {@code PARTIAL})
 * @param last  the last byte to send, inclusive
 */
record ByteRange(Kind kind, long first, long last) {

    /** What to answer. */
    enum Kind {
        /** No usable {@code Range}: 200 with the whole file. */
        WHOLE,
        /** 206 with bytes {@code first..last}. */
        PARTIAL,
        /** 416 with {@code Content-Range: bytes *}{@code /length}. */
        UNSATISFIABLE
    }

    static final ByteRange WHOLE = new ByteRange(Kind.WHOLE, 0, -1);
    private static final ByteRange UNSATISFIABLE = new ByteRange(Kind.UNSATISFIABLE, 0, -1);

    /** The number of bytes a {@code PARTIAL} range covers. */
    long length() {
        return last - first + 1;
    }

    /** {@code header} (may be null) for a file of {@code length} bytes. */
    static ByteRange parse(String header, long length) {
        if (header == null) {
            return WHOLE;
        }
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return WHOLE; // another range unit, or not a range at all
        }
        String set = header.substring(eq + 1).trim();
        if (set.isEmpty() || set.indexOf(',') >= 0) {
            return WHOLE; // empty, or several ranges: answered whole
        }
        int dash = set.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        String a = set.substring(0, dash).trim();
        String b = set.substring(dash + 1).trim();
        if (a.isEmpty()) { // suffix: the last b bytes
            long n = digits(b);
            if (n < 0) {
                return WHOLE;
            }
            if (n == 0 || length == 0) {
                return UNSATISFIABLE;
            }
            return new ByteRange(Kind.PARTIAL, Math.max(0, length - n), length - 1);
        }
        long first = digits(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
        if (first < 0 || last < 0 || last < first) {
            return WHOLE; // invalid range-spec: the header is ignored
        }
        if (first >= length) {
            return UNSATISFIABLE;
        }
        return new ByteRange(Kind.PARTIAL, first, Math.min(last, length - 1));
    }

    /** A non-empty run of ASCII digits as a number (saturating at Long.MAX_VALUE), else -1. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
        }
        return v;
    }
}
