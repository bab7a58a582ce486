package dev.uhttp.workers.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference's pattern cases, one by one. */
class PathPatternTest {

    private static Map<String, Object> match(String pattern, String path) {
        return PathPattern.compile(pattern).match(path);
    }

    @Test
    void literalMatchesOnlyItself() {
        assertEquals(Map.of(), match("/api/status", "/api/status"));
        assertNull(match("/api/status", "/api/other"));
        assertNull(match("/api/status", "/api/status/more"));
        assertNull(match("/api/status", "/api"));
    }

    @Test
    void strParameterWithAndWithoutType() {
        assertEquals(Map.of("name", "john"), match("/user/{name}", "/user/john"));
        assertEquals(Map.of("name", "john"), match("/user/{name:str}", "/user/john"));
        assertEquals(Map.of("name", "42"), match("/user/{name}", "/user/42"));
    }

    @Test
    void intParameterIsAnInteger() {
        Map<String, Object> params = match("/item/{id:int}", "/item/42");
        assertEquals(Map.of("id", 42), params);
        assertTrue(params.get("id") instanceof Integer);
    }

    @Test
    void floatParameterIsADouble() {
        Map<String, Object> params = match("/price/{amount:float}", "/price/12.5");
        assertEquals(Map.of("amount", 12.5), params);
        assertTrue(params.get("amount") instanceof Double);
    }

    @Test
    void invalidIntIsNoMatchNotAnError() {
        assertNull(match("/item/{id:int}", "/item/abc"));
        assertNull(match("/item/{id:int}", "/item/1.5"));
        assertNull(match("/item/{id:int}", "/item/99999999999"));
        assertNull(match("/item/{id:int}", "/item/-"));
    }

    @Test
    void invalidFloatIsNoMatchNotAnError() {
        assertNull(match("/price/{amount:float}", "/price/abc"));
        assertNull(match("/price/{amount:float}", "/price/NaN"));
        assertNull(match("/price/{amount:float}", "/price/Infinity"));
        assertNull(match("/price/{amount:float}", "/price/1.2.3"));
        assertNull(match("/price/{amount:float}", "/price/0x10"));
    }

    @Test
    void negativeAndZeroInts() {
        assertEquals(Map.of("id", -5), match("/item/{id:int}", "/item/-5"));
        assertEquals(Map.of("id", 0), match("/item/{id:int}", "/item/0"));
    }

    @Test
    void floatFromAnIntString() {
        Map<String, Object> params = match("/price/{amount:float}", "/price/5");
        assertEquals(5.0, params.get("amount"));
        assertTrue(params.get("amount") instanceof Double);
        assertEquals(Map.of("amount", -0.5), match("/price/{amount:float}", "/price/-0.5"));
    }

    @Test
    void multipleParameters() {
        assertEquals(Map.of("user", 7, "post", "hello", "score", 1.5),
                match("/u/{user:int}/p/{post}/s/{score:float}", "/u/7/p/hello/s/1.5"));
        assertNull(match("/u/{user:int}/p/{post}", "/u/x/p/hello"));
    }

    @Test
    void trailingSlashIsIgnored() {
        assertEquals(Map.of("id", 1), match("/item/{id:int}", "/item/1/"));
        assertEquals(Map.of(), match("/api/status", "/api/status/"));
        assertEquals(Map.of(), match("/api/status/", "/api/status"));
    }

    @Test
    void rootPath() {
        assertEquals(Map.of(), match("/", "/"));
        assertNull(match("/", "/x"));
        assertNull(match("/x", "/"));
    }

    @Test
    void emptySegmentDoesNotMatchAStrParameter() {
        assertNull(match("/a/{name}/b", "/a//b"));
    }

    @Test
    void unknownTypeFailsNamingThePattern() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathPattern.compile("/item/{id:uuid}"));
        assertTrue(e.getMessage().contains("/item/{id:uuid}"), e.getMessage());
        assertTrue(e.getMessage().contains("uuid"), e.getMessage());
    }

    @Test
    void malformedPatternsFail() {
        assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("item"));
        assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("/item/{id"));
        assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("/a/{x}/b/{x}"));
        assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("/a/{}"));
    }

    @Test
    void moreSpecificSortsFirst() {
        PathPattern literal = PathPattern.compile("/item/new");
        PathPattern integer = PathPattern.compile("/item/{id:int}");
        PathPattern string = PathPattern.compile("/item/{name}");
        assertTrue(literal.compareTo(integer) < 0);
        assertTrue(integer.compareTo(string) < 0);
    }
}
