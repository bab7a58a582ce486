package dev.uhttp.workers.worker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.api.internal.RouteTable;
import dev.uhttp.workers.api.internal.WorkerContext;
import dev.uhttp.workers.worker.testworkers.AdminUserHandler;
import dev.uhttp.workers.worker.testworkers.TestWorker;
import dev.uhttp.workers.worker.testworkers.UserHandler;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteCollectorTest {

    private static RouteTable<RouteTarget> collect(Worker worker, Class<?>... handlers) {
        RouteCollector c = new RouteCollector().add(worker);
        for (Class<?> h : handlers) {
            c.add(WorkerContext.construct(WorkerContext.detached(), worker, () -> newInstance(h)));
        }
        return c.table();
    }

    private static Object newInstance(Class<?> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static String target(RouteTable<RouteTarget> table, String method, String path) {
        RouteTable.Match<RouteTarget> m = table.find(method, path);
        RouteTarget t = (RouteTarget) assertInstanceOf(RouteTable.Found.class, m).route().handler();
        return t.instance().getClass().getSimpleName() + "." + t.method().getName();
    }

    @Test
    void workerRoutes() {
        RouteTable<RouteTarget> t = collect(new TestWorker());
        assertEquals("TestWorker.hello", target(t, "GET", "/hello"));
        assertEquals("TestWorker.item", target(t, "PUT", "/item/3"));
        assertEquals("TestWorker.tag", target(t, "PATCH", "/tag/x"));
        assertInstanceOf(RouteTable.NotFound.class, t.find("GET", "/api/user"));
    }

    @Test
    void handlerRoutesAreUnderTheHandlerPrefix() {
        RouteTable<RouteTarget> t = collect(new TestWorker(), UserHandler.class);
        assertEquals("UserHandler.list", target(t, "GET", "/api/user"));
        assertEquals("UserHandler.get", target(t, "GET", "/api/user/5"));
        assertEquals("UserHandler.delete", target(t, "DELETE", "/api/user/5"));
        assertInstanceOf(RouteTable.NotFound.class, t.find("GET", "/api/user/abc"));
    }

    @Test
    void inheritedHandlerServesParentRoutesUnderItsOwnPrefix() {
        RouteTable<RouteTarget> t = collect(new TestWorker(), UserHandler.class, AdminUserHandler.class);
        assertEquals("AdminUserHandler.list", target(t, "GET", "/api/admin"));
        assertEquals("AdminUserHandler.get", target(t, "GET", "/api/admin/1"));
        assertEquals("AdminUserHandler.delete", target(t, "DELETE", "/api/admin/1"));
        assertEquals("AdminUserHandler.stats", target(t, "GET", "/api/admin/stats"));
        assertEquals("UserHandler.get", target(t, "GET", "/api/user/1"));
        assertInstanceOf(RouteTable.NotFound.class, t.find("GET", "/api/user/stats"));
    }

    @Test
    void handlersReachTheirWorker() {
        TestWorker worker = new TestWorker();
        UserHandler handler = WorkerContext.construct(WorkerContext.detached(), worker, UserHandler::new);
        assertTrue(handler.worker() == worker);
    }

    @Test
    void methodNotAllowedListsMethods() {
        RouteTable<RouteTarget> t = collect(new TestWorker(), UserHandler.class);
        RouteTable.Match<RouteTarget> m = t.find("POST", "/api/user/5");
        assertEquals(Set.of("DELETE", "GET", "HEAD"), assertInstanceOf(RouteTable.MethodNotAllowed.class, m).allow());
    }

    /** An override without {@code @Api} keeps the parent's route and is what runs. */
    public static class OverridingHandler extends UserHandler {
        @Override
        public Object get(Request request) {
            return Map.of("overridden", true);
        }
    }

    @Test
    void overrideWithoutAnnotationKeepsRoute() throws Exception {
        RouteTable<RouteTarget> t = collect(new TestWorker(), OverridingHandler.class);
        RouteTable.Found<?> f = (RouteTable.Found<?>) t.find("GET", "/api/user/1");
        Object result = ((RouteTarget) f.route().handler()).invoke(null);
        assertEquals(Map.of("overridden", true), result);
    }

    // ---- startup failures

    public static class TwoParams extends Worker {
        @Api("/two")
        public Object two(Request r, String extra) {
            return null;
        }
    }

    public static class NotPublic extends Worker {
        @Api("/hidden")
        Object hidden(Request r) {
            return null;
        }
    }

    public static class UnknownType extends Worker {
        @Api("/x/{id:uuid}")
        public Object x(Request r) {
            return null;
        }
    }

    public static class Duplicate extends Worker {
        @Api(value = "/dup", methods = "GET")
        public Object a(Request r) {
            return null;
        }

        @Api(value = "/dup", methods = {"POST", "GET"})
        public Object b(Request r) {
            return null;
        }
    }

    public static class StaticRoute extends Worker {
        @Api("/static")
        public static Object s(Request r) {
            return null;
        }
    }

    private static String failure(Worker worker) {
        return assertThrows(IllegalArgumentException.class, () -> new RouteCollector().add(worker)).getMessage();
    }

    @Test
    void wrongParametersFailNamingClassMethodAndPattern() {
        String m = failure(new TwoParams());
        assertTrue(m.contains(TwoParams.class.getName() + ".two") && m.contains("/two") && m.contains("Request"), m);
    }

    @Test
    void nonPublicMethodFails() {
        String m = failure(new NotPublic());
        assertTrue(m.contains(NotPublic.class.getName() + ".hidden") && m.contains("public"), m);
    }

    @Test
    void staticMethodFails() {
        String m = failure(new StaticRoute());
        assertTrue(m.contains(".s") && m.contains("static"), m);
    }

    @Test
    void unknownPatternTypeFailsNamingClassMethodAndPattern() {
        String m = failure(new UnknownType());
        assertTrue(m.contains(UnknownType.class.getName() + ".x") && m.contains("/x/{id:uuid}"), m);
    }

    @Test
    void duplicateRouteFailsNamingBoth() {
        String m = failure(new Duplicate());
        assertTrue(m.contains(Duplicate.class.getName() + ".a") && m.contains(Duplicate.class.getName() + ".b")
                && m.contains("/dup"), m);
    }

    @Test
    void duplicateAcrossHandlersFails() {
        TestWorker worker = new TestWorker();
        RouteCollector c = new RouteCollector().add(worker)
                .add(WorkerContext.construct(WorkerContext.detached(), worker, UserHandler::new));
        UserHandler again = WorkerContext.construct(WorkerContext.detached(), worker, UserHandler::new);
        String m = assertThrows(IllegalArgumentException.class, () -> c.add(again)).getMessage();
        assertTrue(m.contains("/api/user"), m);
    }

    @Test
    void prefixJoining() {
        assertEquals("/api/user", RouteCollector.join("/api/user", ""));
        assertEquals("/api/user/1", RouteCollector.join("/api/user/", "/1"));
        assertEquals("/api/user/1", RouteCollector.join("/api/user", "1"));
        assertEquals("/x", RouteCollector.join("", "/x"));
        assertEquals("/", RouteCollector.join("", ""));
    }
}
