package dev.uhttp.workers.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CookieTest {

    @Test
    void sessionCookie() {
        assertEquals("sid=abc", Cookie.of("sid", "abc").toSetCookie());
    }

    @Test
    void allAttributes() {
        Cookie c = Cookie.of("sid", "abc").withPath("/").withDomain("example.org").withMaxAge(3600)
                .withSecure(true).withHttpOnly(true).withSameSite("Lax");
        assertEquals("sid=abc; Path=/; Domain=example.org; Max-Age=3600; Secure; HttpOnly; SameSite=Lax",
                c.toSetCookie());
    }

    @Test
    void invalidNamesAndValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a b", "x"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "x;y"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "x").withPath("/;evil"));
    }
}
