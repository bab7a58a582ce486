package dev.uhttp.workers.api.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.Response;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

    @Test
    void responsesRefuseWhatTheWireCannotCarry() {
        assertDoesNotThrow(() -> Response.of("x").header("X-Ok", "caf\u00e9\tand tab"));
        IllegalArgumentException notLatin1 = assertThrows(IllegalArgumentException.class,
                () -> Response.redirect("/caf\u00e9/\u65e5\u672c"));
        assertTrue(notLatin1.getMessage().contains("Location"), notLatin1.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Response.of("x").header("Bad(Name)", "v"));
        assertThrows(IllegalArgumentException.class, () -> Response.of("x").header("X", "a\r\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> Response.of("x").header("X", "bell\u0007"));
    }

    @Test
    void cookiesFollowTheSameRules() {
        assertDoesNotThrow(() -> Cookie.of("session", "abc").withPath("/").toSetCookie());
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a/b", "v"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "v").withPath("/\u65e5"));
    }
}
