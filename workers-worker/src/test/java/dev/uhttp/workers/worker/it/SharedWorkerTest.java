package dev.uhttp.workers.worker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.worker.encoding.Json;
import dev.uhttp.workers.worker.testworkers.TestWorker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests and control messages against one real worker JVM per provider, shared by all tests of the
 * class (launching JVMs is what makes these tests slow).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedWorkerTest {
    private final Map<String, WorkerHarness> workers = new HashMap<>();

    private synchronized WorkerHarness worker(String provider) throws IOException {
        WorkerHarness h = workers.get(provider);
        if (h == null) {
            h = WorkerHarness.launch(provider, TestWorker.class, 1, 100, Map.of("db", "memory"));
            workers.put(provider, h);
            h.awaitReady();
        }
        return h;
    }

    @AfterAll
    void closeWorkers() throws IOException {
        for (WorkerHarness h : workers.values()) {
            String stderr = h.stderr();
            h.close();
            assertFalse(stderr.contains("WARNING"), "worker JVM printed warnings:\n" + stderr);
        }
    }

    private static String text(Message.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static Object json(Message.Response r) {
        try {
            return Json.mapper().readValue(r.body(), Object.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(r), e);
        }
    }

    private static String header(Message.Response r, String name) {
        String[] h = r.headers();
        for (int i = 0; i + 1 < h.length; i += 2) {
            if (h[i].equalsIgnoreCase(name)) {
                return h[i + 1];
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void readyAfterSetup(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        Message.Ready ready = w.awaitReady();
        assertEquals(3, ready.workerId());
        assertEquals(w.process().pid(), ready.pid());
        Message.Log setup = w.awaitLog(m -> m.startsWith("setup done"));
        assertEquals("setup done for test with kwargs {db=memory}", setup.message());
        assertEquals("test[3]", setup.logger());
        assertEquals(LogLevel.INFO.value(), setup.level());
    }

    /**
     * The garbage of starting is collected before Ready and G1 gives the heap back: without it, the
     * committed heap is the JVM's initial 1/64 of RAM (384 MiB on a 24 GiB machine; on a machine with
     * 8 GiB or less this check cannot tell).
     */
    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void startupGarbageIsCollectedBeforeReady(String provider) throws IOException {
        Map<?, ?> heap = (Map<?, ?>) json(worker(provider).get("/heap"));
        long committed = ((Number) heap.get("committed")).longValue();
        assertTrue(committed < 128L << 20, "committed heap of an idle worker: " + (committed >> 20) + " MiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void jsonResponse(String provider) throws IOException {
        Message.Response r = worker(provider).get("/hello");
        assertEquals(200, r.status());
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals(Map.of("hello", "world", "ready", true, "worker", 3, "pool", "test"), json(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void typedPathParams(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        assertEquals(Map.of("id", 42, "type", "Integer", "method", "GET"), json(w.get("/item/42")));
        assertEquals(Map.of("id", -7, "type", "Integer", "method", "PUT"),
                json(w.request("PUT", "/item/-7", "", new String[0], "")));
        assertEquals(Map.of("amount", 5.0, "type", "Double"), json(w.get("/price/5")));
        assertEquals(Map.of("name", "x y", "method", "PATCH"),
                json(w.request("PATCH", "/tag/x y", "", new String[0], "")));
        assertEquals(404, w.get("/item/abc").status());
        assertEquals(404, w.get("/price/abc").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void queryHeadersAndCookies(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        assertEquals(Map.of("tag", List.of("a", "b c"), "q", List.of("ü&")),
                json(w.request("GET", "/query", "tag=a&tag=b+c&q=%C3%BC%26", new String[0], "")));
        Map<?, ?> headers = (Map<?, ?>) json(w.request("GET", "/headers", "",
                new String[] {"User-Agent", "junit", "Accept", "a/b", "accept", "c/d"}, ""));
        assertEquals("junit", headers.get("agent"));
        assertEquals("a/b, c/d", headers.get("accept"));
        assertEquals("127.0.0.1", headers.get("remote"));
        assertEquals(Map.of("sid", "abc", "theme", "dark mode"), json(w.request("GET", "/cookies", "",
                new String[] {"Cookie", "sid=abc; theme=\"dark mode\"; junk"}, "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void bodies(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        Map<?, ?> echo = (Map<?, ?>) json(w.request("POST", "/echo", "",
                new String[] {"Content-Type", "application/json"}, "{\"a\":[1,2],\"b\":null}"));
        assertEquals(Map.of("a", List.of(1, 2)), Map.of("a", ((Map<?, ?>) echo.get("json")).get("a")));
        assertEquals("application/json", echo.get("contentType"));
        assertEquals(Map.of("name", "PEN", "count", 4),
                json(w.request("POST", "/bind", "", new String[0], "{\"name\":\"pen\",\"count\":3,\"x\":1}")));
        Message.Response invalid = w.request("POST", "/echo", "", new String[0], "{not json");
        assertEquals(400, invalid.status());
        assertTrue(text(invalid).startsWith("{\"error\":\"Invalid JSON"), text(invalid));
        Message.Response text = w.request("POST", "/text", "", new String[] {"Content-Type", "text/plain"}, "héllo");
        assertEquals("got: héllo", text(text));
        assertEquals("text/html; charset=UTF-8", header(text, "Content-Type"));
        Message.Response bytes = w.get("/bytes");
        assertEquals("application/octet-stream", header(bytes, "Content-Type"));
        assertEquals("raw", text(bytes));
        Message.Response empty = w.get("/empty");
        assertEquals(200, empty.status());
        assertEquals(0, empty.body().length);
        assertNull(header(empty, "Content-Type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void explicitResponse(String provider) throws IOException {
        Message.Response r = worker(provider).request("POST", "/created", "", new String[0], "");
        assertEquals(201, r.status());
        assertArrayEquals(new String[] {"Content-Type", "application/json", "Location", "/item/1",
                "Set-Cookie", "sid=abc; Path=/; HttpOnly"}, r.headers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void notFoundAndMethodNotAllowed(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        Message.Response missing = w.get("/nothing/here");
        assertEquals(404, missing.status());
        assertEquals(Map.of("error", "Not found"), json(missing));
        Message.Response wrongMethod = w.request("POST", "/hello", "", new String[0], "");
        assertEquals(405, wrongMethod.status());
        assertEquals("GET, HEAD", header(wrongMethod, "Allow"));
        assertEquals(Map.of("error", "Method not allowed"), json(wrongMethod));
        assertEquals(200, w.request("HEAD", "/hello", "", new String[0], "").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void handlersAndInheritedHandlers(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        assertEquals(Map.of("users", List.of("ann", "bob"), "handler", "UserHandler"), json(w.get("/api/user")));
        assertEquals(Map.of("id", 9, "handler", "AdminUserHandler"), json(w.get("/api/admin/9")));
        assertEquals(Map.of("admin", true), json(w.get("/api/admin/stats")));
        assertEquals(Map.of("deleted", 2), json(w.request("DELETE", "/api/admin/2", "", new String[0], "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void doCheckRejects(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        Message.Response rejected = w.request("GET", "/hello", "", new String[] {"X-Reject", "no token"}, "");
        assertEquals(401, rejected.status());
        assertEquals(Map.of("error", "rejected: no token"), json(rejected));
        assertEquals(418, w.request("GET", "/hello", "", new String[] {"X-Check", "1"}, "").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void handlerErrorIs500AndLoggedWithStackTrace(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        Message.Response r = w.get("/fail");
        assertEquals(500, r.status());
        assertEquals(Map.of("error", "handler failed on purpose"), json(r));
        Message.Log log = w.awaitLog(m -> m.startsWith("GET /fail failed"));
        assertEquals(LogLevel.ERROR.value(), log.level());
        assertTrue(log.message().contains("java.lang.IllegalStateException: handler failed on purpose")
                && log.message().contains("\tat " + TestWorker.class.getName() + ".fail"), log.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void printlnBecomesALogRecord(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        Message.Response r = w.get("/print");
        assertEquals("printed", text(r));
        for (String line : List.of("printed by a handler", "two lines", "at once")) {
            Message.Log log = w.awaitLog(line::equals);
            assertEquals("test[3].stdout", log.logger());
            assertEquals(LogLevel.INFO.value(), log.level());
        }
        assertEquals(200, w.get("/hello").status()); // the channel still works
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void keepAliveIsSent(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        long id = w.sendRequest("GET", "/keepalive", "", new String[0], new byte[0]);
        assertEquals("kept", text(w.response(id)));
        w.awaitMessage(Message.KeepAlive.class, k -> k.id() == id);
        List<Message> all = w.received();
        int keepAlive = all.indexOf(w.find(Message.KeepAlive.class, k -> k.id() == id));
        int response = all.indexOf(w.find(Message.Response.class, k -> k.id() == id));
        assertTrue(keepAlive < response, "KeepAlive must come before the response");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void configReachesOnConfig(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        w.send(new Message.Config(Map.of("rate", 100, "mode", "fast", "list", List.of(1, "a"))));
        w.awaitLog(m -> m.startsWith("config received"));
        assertEquals(Map.of("rate", 100, "mode", "fast", "list", List.of(1, "a")), json(w.get("/config")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void idleHookAndHeartbeats(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        w.awaitLog("idle now"::equals);
        Message.Heartbeat idle = w.awaitMessage(Message.Heartbeat.class, h -> h.busy().length == 0);
        assertEquals(0, idle.stalledMillis());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void fireAndForgetRunsWithoutResponse(String provider) throws IOException {
        WorkerHarness w = worker(provider);
        w.send(new Message.Request(-1, "POST", "/fire", "", new String[0], "payload".getBytes(StandardCharsets.UTF_8),
                "127.0.0.1", 1, false));
        Message.Log log = w.awaitLog(m -> m.equals("fire-and-forget ran with payload"));
        assertEquals(LogLevel.WARNING.value(), log.level());
        assertEquals(200, w.get("/hello").status()); // answered after the fire-and-forget work
        assertNull(w.find(Message.Response.class, r -> r.id() == -1));
    }
}
