package dev.uhttp.workers.worker.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.worker.testworkers.Item;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerRequestTest {

    private static WorkerRequest request(String query, String[] headers, byte[] body) {
        return new WorkerRequest(7, "POST", "/x", query, headers, body, "10.0.0.5", 5555, false);
    }

    @Test
    void headersAreCaseInsensitiveAndRepeatsJoined() {
        WorkerRequest r = request("", new String[] {"Accept", "text/html", "X-Tag", "a", "x-tag", "b"}, null);
        assertEquals("text/html", r.header("accept"));
        assertEquals("a, b", r.header("X-TAG"));
        assertNull(r.header("missing"));
    }

    @Test
    void cookiesComeFromTheCookieHeader() {
        WorkerRequest r = request("", new String[] {"cookie", "sid=abc; theme=\"dark\""}, null);
        assertEquals(Map.of("sid", "abc", "theme", "dark"), r.cookies());
        assertEquals("abc", r.cookie("sid"));
    }

    @Test
    void queryIsParsed() {
        WorkerRequest r = request("a=1&a=2&b=x+y", new String[0], null);
        assertEquals(Map.of("a", List.of("1", "2"), "b", List.of("x y")), r.query());
        assertEquals("1", r.queryParam("a"));
        assertEquals("a=1&a=2&b=x+y", r.queryString());
    }

    @Test
    void textUsesTheContentTypeCharset() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("café", request("", new String[] {"Content-Type", "text/plain; charset=ISO-8859-1"}, latin1).text());
        byte[] utf8 = "café".getBytes(StandardCharsets.UTF_8);
        assertEquals("café", request("", new String[] {"Content-Type", "text/plain"}, utf8).text());
        assertEquals("café", request("", new String[] {"Content-Type", "text/plain; charset=bogus"}, utf8).text());
        assertEquals("café", request("", new String[0], utf8).text());
    }

    @Test
    void jsonParsesMapsListsAndScalars() {
        byte[] body = "{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":1}}".getBytes(StandardCharsets.UTF_8);
        Object json = request("", new String[0], body).json();
        assertEquals(Map.of("a", java.util.Arrays.asList(1, 2.5, "x", null, true), "b", Map.of("c", 1)), json);
        assertEquals(42, request("", new String[0], "42".getBytes(StandardCharsets.UTF_8)).json());
        assertNull(request("", new String[0], new byte[0]).json());
    }

    @Test
    void jsonBindsToARecordIgnoringUnknownFields() {
        byte[] body = "{\"name\":\"pen\",\"count\":3,\"color\":\"red\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new Item("pen", 3), request("", new String[0], body).json(Item.class));
    }

    @Test
    void invalidJsonIsAnInvalidBody() {
        WorkerRequest r = request("", new String[0], "{not json".getBytes(StandardCharsets.UTF_8));
        InvalidBodyException e = assertThrows(InvalidBodyException.class, r::json);
        assertTrue(e.getMessage().startsWith("Invalid JSON"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.json(Item.class));
    }

    @Test
    void rawFields() {
        WorkerRequest r = new WorkerRequest(9, "GET", "/p", null, null, null, "::1", 80, true);
        assertEquals(9, r.id());
        assertEquals("", r.queryString());
        assertArrayEquals(new byte[0], r.body());
        assertTrue(r.isSecure());
        assertEquals(80, r.remoteAddress().getPort());
        assertTrue(r.remoteAddress().getAddress().isLoopbackAddress());
        assertEquals("10.0.0.5", request("", new String[0], null).remoteAddress().getAddress().getHostAddress());
    }
}
