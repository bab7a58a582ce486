package dev.uhttp.workers.dispatcher.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request-target handling: origin-form and absolute-form, percent-decoding of the path (strict UTF-8),
 * merging of repeated slashes and removal of dot segments. A decoded path holding NUL, or whose
 * {@code ..} segments climb above the root, is refused (400) rather than clamped.
 */
final class RequestTarget {
    /** The decoded, normalised path; {@code "*"} for {@code OPTIONS *}. */
    final String path;
    /** The raw query, without {@code ?}; empty if none. */
    final String query;
    /** The authority of an absolute-form target (checked like a Host value); null for other forms. */
    final String authority;

    private RequestTarget(String path, String query, String authority) {
        this.path = path;
        this.query = query;
        this.authority = authority;
    }

    static RequestTarget parse(String method, String raw) throws HttpError {
        if (raw.isEmpty()) {
            throw new HttpError(400, "empty request target");
        }
        if (raw.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw new HttpError(400, "request target * is only allowed for OPTIONS");
            }
            return new RequestTarget("*", "", null);
        }
        int start;
        String host = null;
        if (raw.charAt(0) == '/') {
            start = 0;
        } else {
            int authority;
            if (raw.regionMatches(true, 0, "http://", 0, 7)) {
                authority = 7;
            } else if (raw.regionMatches(true, 0, "https://", 0, 8)) {
                authority = 8;
            } else {
                throw new HttpError(400, "malformed request target");
            }
            int i = authority;
            while (i < raw.length() && raw.charAt(i) != '/' && raw.charAt(i) != '?') {
                i++;
            }
            if (i == authority) {
                throw new HttpError(400, "absolute-form target without a host");
            }
            start = i;
            host = raw.substring(authority, i);
            FieldRules.host(host, false);
        }
        int q = raw.indexOf('?', start);
        int pathEnd = q < 0 ? raw.length() : q;
        String query = q < 0 ? "" : raw.substring(q + 1);
        for (int i = start; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '#') {
                throw new HttpError(400, "invalid character in request target");
            }
        }
        String rawPath = start == pathEnd ? "/" : raw.substring(start, pathEnd);
        if (rawPath.charAt(0) != '/') {
            // absolute-form "http://host?x" has an empty path
            rawPath = "/" + rawPath;
        }
        String decoded = decode(rawPath);
        return new RequestTarget(normalize(decoded), query, host);
    }

    /** The method token at {@code a[p..p+n)}; the common ones without a new string. */
    static String method(byte[] a, int p, int n) {
        switch (n) {
            case 3:
                if (a[p] == 'G' && a[p + 1] == 'E' && a[p + 2] == 'T') return "GET";
                if (a[p] == 'P' && a[p + 1] == 'U' && a[p + 2] == 'T') return "PUT";
                break;
            case 4:
                if (a[p] == 'P' && a[p + 1] == 'O' && a[p + 2] == 'S' && a[p + 3] == 'T') return "POST";
                if (a[p] == 'H' && a[p + 1] == 'E' && a[p + 2] == 'A' && a[p + 3] == 'D') return "HEAD";
                break;
            default:
                break;
        }
        return new String(a, p, n, StandardCharsets.ISO_8859_1);
    }

    /** Percent-decodes {@code s} as UTF-8; bad escapes, bad UTF-8 and NUL are errors. */
    static String decode(String s) throws HttpError {
        boolean plain = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c > 0x7e) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new HttpError(400, "bad percent-encoding in path");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new HttpError(400, "bad percent-encoding in path");
                }
                int b = (hi << 4) | lo;
                if (b == 0) {
                    throw new HttpError(400, "NUL in path");
                }
                out[n++] = (byte) b;
                i += 2;
            } else {
                out[n++] = (byte) c; // the target is ISO-8859-1 decoded bytes
            }
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n));
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw new HttpError(400, "path is not valid UTF-8");
        }
    }

    /**
     * Merges repeated slashes and resolves {@code .} and {@code ..} segments (RFC 3986 section 5.2.4),
     * refusing a path that climbs above the root.
     */
    static String normalize(String p) throws HttpError {
        if (p.indexOf("//") < 0 && p.indexOf("/.") < 0) {
            return p;
        }
        String[] segs = p.split("/", -1);
        String[] stack = new String[segs.length];
        int depth = 0;
        boolean trailingSlash = false;
        for (int i = 1; i < segs.length; i++) {
            String s = segs[i];
            boolean lastSeg = i == segs.length - 1;
            if (s.isEmpty()) {
                trailingSlash = lastSeg;
                continue;
            }
            if (s.equals(".")) {
                trailingSlash = lastSeg;
            } else if (s.equals("..")) {
                if (depth == 0) {
                    throw new HttpError(400, "path escapes the root");
                }
                depth--;
                trailingSlash = lastSeg;
            } else {
                stack[depth++] = s;
                trailingSlash = false;
            }
        }
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < depth; i++) {
            sb.append('/').append(stack[i]);
        }
        if (depth == 0 || trailingSlash) {
            sb.append('/');
        }
        return sb.toString();
    }
}
