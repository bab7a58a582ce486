package dev.uhttp.workers.dispatcher.http;

/**
 * The strict checks of the header fields that decide framing and routing (RFC 9112 sections 6 and 3.2,
 * RFC 9110 sections 7.2 and 8.6). Everything a front proxy could read differently is refused (400)
 * rather than guessed.
 */
final class FieldRules {
    private static final int MAX_LENGTH_DIGITS = 18;

    private FieldRules() {
    }

    /**
     * The value of one or more {@code Content-Length} fields joined with {@code ","}: a list of
     * identical values is accepted as one (RFC 9110 section 8.6); an empty element, a sign, whitespace
     * inside a number, hex, or more than 18 digits is 400, as are differing values.
     */
    static long contentLength(String joined) throws HttpError {
        long cl = -1;
        int start = 0;
        int n = joined.length();
        while (start <= n) {
            int comma = joined.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int s = start;
            int e = end;
            while (s < e && isOws(joined.charAt(s))) s++;
            while (e > s && isOws(joined.charAt(e - 1))) e--;
            if (s == e || e - s > MAX_LENGTH_DIGITS) {
                throw new HttpError(400, "invalid Content-Length");
            }
            long v = 0;
            for (int i = s; i < e; i++) {
                char c = joined.charAt(i);
                if (c < '0' || c > '9') {
                    throw new HttpError(400, "invalid Content-Length");
                }
                v = v * 10 + (c - '0');
            }
            if (cl >= 0 && v != cl) {
                throw new HttpError(400, "conflicting Content-Length values");
            }
            cl = v;
            start = end + 1;
        }
        return cl;
    }

    /**
     * Checks the value of one or more {@code Transfer-Encoding} fields joined with {@code ","}: the
     * only coding served is {@code chunked} (case-insensitive), exactly once and last. A list whose
     * final coding is not chunked, an empty element, or chunked twice is 400 (the body length cannot be
     * known, RFC 9112 section 6.3); chunked last after another coding is 501 (not implemented).
     */
    static void transferEncoding(String joined) throws HttpError {
        String[] codings = joined.split(",", -1);
        for (int i = 0; i < codings.length; i++) {
            String c = trimOws(codings[i]);
            if (c.isEmpty()) {
                throw new HttpError(400, "empty transfer coding");
            }
            boolean isChunked = c.equalsIgnoreCase("chunked");
            boolean last = i == codings.length - 1;
            if (last && !isChunked) {
                throw new HttpError(400, "chunked is not the final transfer coding");
            }
            if (!last && isChunked) {
                throw new HttpError(400, "chunked applied more than once");
            }
        }
        if (codings.length > 1) {
            throw new HttpError(501, "unsupported transfer coding: " + trimOws(codings[0]));
        }
    }

    /**
     * Checks a {@code Host} value (or an absolute-form authority): {@code uri-host [":" port]} where
     * uri-host is an IP literal in brackets or a reg-name (unreserved, percent-encoded, sub-delims).
     * Empty is allowed for Host (RFC 9110 section 7.2), not for an authority. No userinfo.
     */
    static void host(String v, boolean allowEmpty) throws HttpError {
        int n = v.length();
        if (n == 0) {
            if (allowEmpty) {
                return;
            }
            throw new HttpError(400, "empty host");
        }
        int i = 0;
        if (v.charAt(0) == '[') {
            int close = v.indexOf(']');
            if (close < 2) {
                throw new HttpError(400, "malformed Host");
            }
            for (i = 1; i < close; i++) {
                char c = v.charAt(i);
                if (!(isHex(c) || c == ':' || c == '.' || c == 'v' || c == 'V' || isUnreservedOrSubDelim(c))) {
                    throw new HttpError(400, "malformed Host");
                }
            }
            i = close + 1;
        } else {
            while (i < n && v.charAt(i) != ':') {
                char c = v.charAt(i);
                if (c == '%') {
                    if (i + 2 >= n || !isHex(v.charAt(i + 1)) || !isHex(v.charAt(i + 2))) {
                        throw new HttpError(400, "malformed Host");
                    }
                    i += 3;
                    continue;
                }
                if (!isUnreservedOrSubDelim(c)) {
                    throw new HttpError(400, "malformed Host");
                }
                i++;
            }
            if (i == 0) {
                throw new HttpError(400, "malformed Host");
            }
        }
        if (i == n) {
            return;
        }
        if (v.charAt(i) != ':' || n - i - 1 > 5) {
            throw new HttpError(400, "malformed Host");
        }
        for (int j = i + 1; j < n; j++) {
            char c = v.charAt(j);
            if (c < '0' || c > '9') {
                throw new HttpError(400, "malformed Host port");
            }
        }
    }

    private static boolean isUnreservedOrSubDelim(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        switch (c) {
            case '-': case '.': case '_': case '~':
            case '!': case '$': case '&': case '\'': case '(': case ')':
            case '*': case '+': case ',': case ';': case '=':
                return true;
            default:
                return false;
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Whether the connection stays open after the request, from its {@code Connection} values (or null). */
    static boolean keepAlive(String connection, boolean http11) {
        boolean keepAlive = http11;
        if (connection != null) {
            for (String token : connection.split(",")) {
                String t = token.trim();
                if (t.equalsIgnoreCase("close")) {
                    return false;
                }
                if (t.equalsIgnoreCase("keep-alive")) {
                    keepAlive = true;
                }
            }
        }
        return keepAlive;
    }

    /** Whether a {@code 100 Continue} is expected; any expectation but 100-continue is 417. */
    static boolean expectContinue(String expect, boolean http11) throws HttpError {
        if (expect == null) {
            return false;
        }
        if (!expect.trim().equalsIgnoreCase("100-continue")) {
            throw new HttpError(417, "unsupported expectation");
        }
        return http11;
    }

    /** Whether a field carries credentials ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}). */
    static boolean isCredential(String name) {
        return name.equalsIgnoreCase("authorization") || name.equalsIgnoreCase("cookie")
                || name.equalsIgnoreCase("proxy-authorization");
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static String trimOws(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isOws(s.charAt(a))) a++;
        while (b > a && isOws(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }
}
