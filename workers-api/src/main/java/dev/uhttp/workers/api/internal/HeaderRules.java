package dev.uhttp.workers.api.internal;

/**
 * What an HTTP/1.1 header may contain (RFC 9110): the one rule set for responses built by workers,
 * cookies, and the dispatcher's engine, so that what a handler may build is what the wire can carry.
 */
public final class HeaderRules {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HeaderRules() {
    }

    /** Whether {@code c} is a token character (a header name or cookie name character). */
    public static boolean isTokenChar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    /** Whether {@code s} is a non-empty token. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} can be a field value: Latin-1, no control characters but tab. */
    public static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a header for a response.
     *
     * @throws IllegalArgumentException naming the header when the name is no token or the value has
     *                                  characters HTTP/1.1 cannot carry (encode them first, e.g.
     *                                  percent-encode a Location)
     */
    public static void check(String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("invalid header name: '" + name + "'");
        }
        if (value == null || !isFieldValue(value)) {
            throw new IllegalArgumentException("invalid character in value of header '" + name
                    + "' (control characters and characters above U+00FF cannot be sent; percent-encode URLs)");
        }
    }
}
