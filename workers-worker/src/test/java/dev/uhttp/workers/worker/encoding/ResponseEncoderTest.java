package dev.uhttp.workers.worker.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.worker.encoding.ResponseEncoder.Encoded;
import dev.uhttp.workers.worker.testworkers.Item;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseEncoderTest {

    private static String body(Encoded e) {
        return new String(e.body(), StandardCharsets.UTF_8);
    }

    /** A plain POJO with getters. */
    public static final class Pojo {
        public String getName() {
            return "p";
        }

        public int getSize() {
            return 3;
        }
    }

    @Test
    void mapIsJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", List.of(true, "x"));
        Encoded e = ResponseEncoder.encode(map);
        assertEquals(200, e.status());
        assertArrayEquals(new String[] {"Content-Type", "application/json"}, e.headers());
        assertEquals("{\"a\":1,\"b\":[true,\"x\"]}", body(e));
    }

    @Test
    void listRecordAndPojoAreJson() {
        assertEquals("[1,2]", body(ResponseEncoder.encode(List.of(1, 2))));
        assertEquals("{\"name\":\"n\",\"count\":2}", body(ResponseEncoder.encode(new Item("n", 2))));
        Encoded pojo = ResponseEncoder.encode(new Pojo());
        assertEquals("application/json", pojo.header("content-type"));
        assertEquals(Map.of("name", "p", "size", 3), parse(pojo));
    }

    @Test
    void aFileResponseCarriesItsAbsolutePathAndNoBody() {
        Encoded e = ResponseEncoder.encode(Response.file(java.nio.file.Path.of("reports/q1.pdf"))
                .header("Content-Disposition", "attachment").cookie("seen", "1"));
        assertEquals(java.nio.file.Path.of("reports/q1.pdf").toAbsolutePath().toString(), e.file());
        assertEquals(200, e.status());
        assertEquals(0, e.body().length);
        assertNull(e.header("Content-Type"), "the dispatcher picks the type from the file name");
        assertEquals("attachment", e.header("Content-Disposition"));
        assertEquals("seen=1", e.header("Set-Cookie"));
        assertNull(ResponseEncoder.encode(Map.of("a", 1)).file());
    }

    @Test
    void emptyBeanIsAnEmptyObject() {
        assertEquals("{}", body(ResponseEncoder.encode(new Object())));
    }

    @Test
    void stringIsHtmlText() {
        Encoded e = ResponseEncoder.encode("héllo");
        assertEquals("text/html; charset=UTF-8", e.header("Content-Type"));
        assertEquals("héllo", body(e));
        assertEquals("sb", body(ResponseEncoder.encode(new StringBuilder("sb"))));
    }

    @Test
    void bytesAreOctetStream() {
        Encoded e = ResponseEncoder.encode(new byte[] {1, 2, 3});
        assertEquals("application/octet-stream", e.header("Content-Type"));
        assertArrayEquals(new byte[] {1, 2, 3}, e.body());
    }

    @Test
    void nullIsAnEmptyBodyWithoutContentType() {
        Encoded e = ResponseEncoder.encode(null);
        assertEquals(200, e.status());
        assertEquals(0, e.headers().length);
        assertEquals(0, e.body().length);
    }

    @Test
    void responseCarriesStatusHeadersAndCookies() {
        Encoded e = ResponseEncoder.encode(Response.of(404, Map.of("error", "no such item"))
                .header("X-Trace", "t1").header("X-Trace", "t2")
                .cookie(Cookie.of("sid", "abc").withPath("/").withHttpOnly(true)).cookie("theme", "dark"));
        assertEquals(404, e.status());
        assertArrayEquals(new String[] {"Content-Type", "application/json", "X-Trace", "t1", "X-Trace", "t2",
                "Set-Cookie", "sid=abc; Path=/; HttpOnly", "Set-Cookie", "theme=dark"}, e.headers());
        assertEquals("{\"error\":\"no such item\"}", body(e));
    }

    @Test
    void explicitContentTypeWins() {
        Encoded e = ResponseEncoder.encode(Response.of("a,b\n1,2\n").header("content-type", "text/csv"));
        assertArrayEquals(new String[] {"content-type", "text/csv"}, e.headers());
        assertEquals("a,b\n1,2\n", body(e));
    }

    @Test
    void statusWithData() {
        Encoded e = ResponseEncoder.encode(201, List.of("x"));
        assertEquals(201, e.status());
        assertEquals("[\"x\"]", body(e));
    }

    @Test
    void emptyResponseAndRedirect() {
        Encoded e = ResponseEncoder.encode(Response.status(204));
        assertEquals(204, e.status());
        assertEquals(0, e.headers().length);
        Encoded r = ResponseEncoder.encode(Response.redirect("/login"));
        assertEquals(302, r.status());
        assertEquals("/login", r.header("Location"));
        assertNull(r.header("Content-Type"));
    }

    @Test
    void unserialisableDataFailsClearly() {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("self", self);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ResponseEncoder.encode(self));
        assertEquals(true, ex.getMessage().contains("JSON"), ex.getMessage());
    }

    @Test
    void jsonBindingIgnoresUnknownProperties() throws Exception {
        Item item = Json.mapper().readValue("{\"name\":\"a\",\"count\":1,\"extra\":true}", Item.class);
        assertEquals(new Item("a", 1), item);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Encoded e) {
        try {
            return Json.mapper().readValue(e.body(), Map.class);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
