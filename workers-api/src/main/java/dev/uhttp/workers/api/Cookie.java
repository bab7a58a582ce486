package dev.uhttp.workers.api;

import dev.uhttp.workers.api.internal.HeaderRules;
import java.util.Objects;

/**
 * A cookie to set on a response ({@code Set-Cookie}). Immutable; the {@code with...} methods return
 * copies:
 *
 * <pre>{@code
 * Cookie.of("session", token).withPath("/").withHttpOnly(true).withMaxAge(3600)
 * }</pre>
 *
 * @param name     cookie name (an HTTP token)
 * @param value    cookie value (no control characters, {@code ;}, {@code ,}, spaces or quotes)
 * @param path     {@code Path} attribute, or null
 * @param domain   {@code Domain} attribute, or null
 * @param maxAge   {@code Max-Age} in seconds, or null for a session cookie (0 deletes it)
 * @param httpOnly {@code HttpOnly} attribute
 * @param secure   {@code Secure} attribute
 * @param sameSite {@code SameSite} attribute ({@code Strict}, {@code Lax} or {@code None}), or null
 */
public record Cookie(String name, String value, String path, String domain, Long maxAge,
                     boolean httpOnly, boolean secure, String sameSite) {

    public Cookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!HeaderRules.isToken(name)) {
            throw new IllegalArgumentException("invalid cookie name: '" + name + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ';' || c == ',' || c == '"' || c == '\\') {
                throw new IllegalArgumentException("invalid character in value of cookie '" + name + "'");
            }
        }
        checkAttribute("path", path);
        checkAttribute("domain", domain);
        checkAttribute("sameSite", sameSite);
    }

    /** A session cookie with no attributes. */
    public static Cookie of(String name, String value) {
        return new Cookie(name, value, null, null, null, false, false, null);
    }

    /** A copy with the {@code Path} attribute {@code path} (null: none). */
    public Cookie withPath(String path) {
        return new Cookie(name, value, path, domain, maxAge, httpOnly, secure, sameSite);
    }

    /** A copy with the {@code Domain} attribute {@code domain} (null: none). */
    public Cookie withDomain(String domain) {
        return new Cookie(name, value, path, domain, maxAge, httpOnly, secure, sameSite);
    }

    /** A copy with {@code Max-Age} {@code seconds} (0 deletes the cookie). */
    public Cookie withMaxAge(long seconds) {
        return new Cookie(name, value, path, domain, seconds, httpOnly, secure, sameSite);
    }

    /** A copy with or without the {@code HttpOnly} attribute. */
    public Cookie withHttpOnly(boolean httpOnly) {
        return new Cookie(name, value, path, domain, maxAge, httpOnly, secure, sameSite);
    }

    /** A copy with or without the {@code Secure} attribute. */
    public Cookie withSecure(boolean secure) {
        return new Cookie(name, value, path, domain, maxAge, httpOnly, secure, sameSite);
    }

    /** A copy with the {@code SameSite} attribute ({@code Strict}, {@code Lax}, {@code None}; null: none). */
    public Cookie withSameSite(String sameSite) {
        return new Cookie(name, value, path, domain, maxAge, httpOnly, secure, sameSite);
    }

    /** The value of a {@code Set-Cookie} header for this cookie. */
    public String toSetCookie() {
        StringBuilder b = new StringBuilder(name).append('=').append(value);
        if (path != null) {
            b.append("; Path=").append(path);
        }
        if (domain != null) {
            b.append("; Domain=").append(domain);
        }
        if (maxAge != null) {
            b.append("; Max-Age=").append(maxAge);
        }
        if (secure) {
            b.append("; Secure");
        }
        if (httpOnly) {
            b.append("; HttpOnly");
        }
        if (sameSite != null) {
            b.append("; SameSite=").append(sameSite);
        }
        return b.toString();
    }

    private static void checkAttribute(String what, String v) {
        if (v != null && (v.indexOf(';') >= 0 || !HeaderRules.isFieldValue(v))) {
            throw new IllegalArgumentException("invalid character in cookie " + what + ": '" + v + "'");
        }
    }
}
