package dev.uhttp.workers.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteTable<String> table() {
        RouteTable<String> t = new RouteTable<>();
        t.add("/item/{id:int}", new String[] {"GET"}, "get", "get");
        t.add("/item/{id:int}", new String[] {"delete"}, "delete", "delete");
        t.add("/item/new", new String[] {"GET"}, "new", "new");
        t.add("/item/{name}", new String[] {}, "byName", "byName");
        t.add("/", new String[] {"GET"}, "root", "root");
        return t;
    }

    private static String found(RouteTable.Match<String> m) {
        return assertInstanceOf(RouteTable.Found.class, m).route().handler().toString();
    }

    @Test
    void mostSpecificRouteWins() {
        RouteTable<String> t = table();
        assertEquals("new", found(t.find("GET", "/item/new")));
        assertEquals("get", found(t.find("GET", "/item/5")));
        assertEquals("byName", found(t.find("GET", "/item/abc")));
        assertEquals("root", found(t.find("GET", "/")));
    }

    @Test
    void typedParamsAreReturned() {
        RouteTable.Found<?> f = (RouteTable.Found<?>) table().find("DELETE", "/item/-3");
        assertEquals(Map.of("id", -3), f.params());
    }

    @Test
    void headIsAnsweredByGet() {
        assertEquals("get", found(table().find("HEAD", "/item/5")));
    }

    @Test
    void notFound() {
        assertInstanceOf(RouteTable.NotFound.class, table().find("GET", "/nothing/here"));
    }

    @Test
    void methodNotAllowedListsAllowedMethods() {
        RouteTable<String> t = new RouteTable<>();
        t.add("/item/{id:int}", new String[] {"GET"}, "get", "get");
        t.add("/item/{id:int}", new String[] {"DELETE"}, "delete", "delete");
        RouteTable.Match<String> m = t.find("POST", "/item/5");
        assertEquals(Set.of("DELETE", "GET", "HEAD"),
                assertInstanceOf(RouteTable.MethodNotAllowed.class, m).allow());
    }

    @Test
    void emptyMethodsMeansAll() {
        RouteTable<String> t = new RouteTable<>();
        t.add("/any", new String[] {}, "any", "any");
        assertEquals("any", found(t.find("PATCH", "/any")));
    }

    @Test
    void duplicateRouteFailsNamingWhere() {
        RouteTable<String> t = new RouteTable<>();
        t.add("/x", new String[] {"GET"}, "first", "First.x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.add("/x", new String[] {"get", "POST"}, "second", "Second.x"));
        assertTrue(e.getMessage().contains("Second.x") && e.getMessage().contains("/x")
                && e.getMessage().contains("first"), e.getMessage()); // the earlier handler
        t.add("/x", new String[] {"PUT"}, "put", "Put.x"); // another method on the same pattern is fine
    }

    @Test
    void invalidPatternFailsNamingWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RouteTable<String>().add("/a/{b:nope}", new String[] {}, "h", "My.method"));
        assertTrue(e.getMessage().contains("My.method") && e.getMessage().contains("/a/{b:nope}"), e.getMessage());
    }
}
