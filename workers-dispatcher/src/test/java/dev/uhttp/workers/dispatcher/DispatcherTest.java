package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.uhttp.workers.dispatcher.http.RawClient;
import dev.uhttp.workers.worker.encoding.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher with real worker JVMs, over both IPC providers: routing order, pools, doCheck,
 * onResponse, sendConfig, timeouts, crashes, stuck workers. One dispatcher per provider, shared by
 * the tests of this class.
 */
class DispatcherTest {
    private static final Map<String, TestDispatcher> DISPATCHERS = new ConcurrentHashMap<>();
    /**
     * One HTTP client per dispatcher: a client shared across dispatchers could hold a pooled connection
     * to a port that a later dispatcher of the run is given again, and send a request into the dead one.
     */
    private static final Map<Dispatcher, HttpClient> CLIENTS = java.util.Collections.synchronizedMap(
            new java.util.IdentityHashMap<>());

    static HttpClient client(Dispatcher d) {
        return CLIENTS.computeIfAbsent(d, x -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build());
    }
    static Path staticDir;

    @BeforeAll
    static void files() throws IOException {
        staticDir = Files.createTempDirectory("dispatcher-static");
        Files.writeString(staticDir.resolve("hello.txt"), "hello static");
        Files.writeString(staticDir.resolve("shadowed.txt"), "from static");
    }

    @AfterAll
    static void stopAll() {
        DISPATCHERS.values().forEach(Dispatcher::stop);
        DISPATCHERS.clear();
    }

    static TestDispatcher dispatcher(String ipc) {
        return DISPATCHERS.computeIfAbsent(ipc, name -> {
            TestDispatcher d = new TestDispatcher();
            d.port(0).address("127.0.0.1").ipc(name)
                    .staticRoute("/static/", staticDir)
                    .pool(WorkerPool.of(TestWorkers.ApiWorker.class).workers(2).routes("/api/**")
                                    .heartbeatInterval(Duration.ofMillis(200)),
                            WorkerPool.of(TestWorkers.ApiWorker.class).name("timeouts").routes("/timeout/**")
                                    .timeout(Duration.ofSeconds(2)),
                            WorkerPool.of(TestWorkers.HangWorker.class).name("hang").routes("/hang/**")
                                    .timeout(Duration.ofSeconds(60)).stuckTimeout(Duration.ofSeconds(5))
                                    .heartbeatInterval(Duration.ofMillis(200)),
                            WorkerPool.of(TestWorkers.StoreWorker.class).routes("/store/**"),
                            WorkerPool.of(TestWorkers.FallbackWorker.class))
                    .start();
            awaitReady(d);
            return d;
        });
    }

    static void awaitReady(Dispatcher d) {
        await().atMost(Duration.ofSeconds(60)).until(() -> d.status().pools().stream()
                .allMatch(p -> p.workers().stream().allMatch(PoolStatus.WorkerStatus::ready)));
    }

    static PoolStatus poolStatus(Dispatcher d, String name) {
        return d.status().pools().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    static HttpResponse<String> get(Dispatcher d, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client(d).send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(Dispatcher d, String path, String json) throws Exception {
        return client(d).send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void routingOrderStaticThenSyncThenPools(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        assertEquals(ipc, d.ipcProvider());
        assertEquals("hello static", get(d, "/static/hello.txt").body());
        assertEquals("from static", get(d, "/static/shadowed.txt").body(), "static routes come before sync handlers");
        assertEquals(Map.of("sync", "x"), json(get(d, "/api/sync/x")), "sync handlers come before pools");
        HttpResponse<String> pooled = get(d, "/api/item/7?tag=a&tag=b");
        assertEquals(200, pooled.statusCode());
        assertEquals(7, json(pooled).get("id"));
        assertEquals(Map.of("tag", List.of("a", "b")), json(pooled).get("query"));
        assertEquals(Map.of("pool", "FallbackWorker", "name", "z"), json(get(d, "/other/z")), "fallback pool");
        assertEquals(404, get(d, "/static/missing.txt").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void largeBinaryBodiesCrossTheHopIntactBothWays(String ipc) throws Exception {
        // Large bodies are read into their own arrays at every step (HTTP body, frame to the worker,
        // frame back): a wrong offset or a lost piece would show in the bytes.
        TestDispatcher d = dispatcher(ipc);
        java.util.Random random = new java.util.Random(42);
        for (int size : new int[] {1_000_000, 70_000, 1_000_000}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            HttpResponse<byte[]> r = client(d).send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + d.port() + "/api/bytes"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals("application/octet-stream", r.headers().firstValue("content-type").orElse(""));
            org.junit.jupiter.api.Assertions.assertArrayEquals(body, r.body(), "echo of " + size + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void workerRoutingErrors(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        HttpResponse<String> notFound = get(d, "/api/nothing");
        assertEquals(404, notFound.statusCode());
        assertEquals(Map.of("error", "Not found"), json(notFound));
        assertEquals(404, get(d, "/api/item/abc").statusCode(), "a value that does not convert is no match");
        HttpResponse<String> notAllowed = get(d, "/api/echo");
        assertEquals(405, notAllowed.statusCode());
        assertEquals("POST", notAllowed.headers().firstValue("Allow").orElse(""));
        assertEquals(418, get(d, "/api/status/418").statusCode());
        HttpResponse<String> refused = get(d, "/api/badheader");
        assertEquals(500, refused.statusCode(), "the worker refuses to build a header HTTP cannot carry");
        assertTrue(refused.body().contains("Location"), refused.body());
        HttpResponse<String> invalid = get(d, "/api/badstream");
        assertEquals(502, invalid.statusCode(), "what still reaches the dispatcher invalid is the worker's fault");
        assertEquals(Map.of("error", "Invalid response from worker"), json(invalid));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void doCheckRejectsBeforeThePool(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        HttpResponse<String> denied = get(d, "/api/item/1", "x-deny", "1");
        assertEquals(401, denied.statusCode());
        assertEquals(Map.of("error", "unauthorized"), json(denied));
        assertEquals(500, get(d, "/api/item/1", "x-boom", "1").statusCode());
        assertEquals(200, get(d, "/health", "x-deny", "1").statusCode(), "doCheck is only for pool requests");
        assertEquals(200, get(d, "/api/item/1").statusCode(), "the loop goes on after a failing doCheck");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void onResponseForwardsFireAndForgetWork(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        String marker = "m-" + System.nanoTime();
        HttpResponse<String> echoed = post(d, "/api/echo", "{\"marker\":\"" + marker + "\"}");
        assertEquals(200, echoed.statusCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> get(d, "/store/items").body().contains(marker));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void sendConfigReachesEveryWorker(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        String value = "v" + System.nanoTime();
        assertEquals(200, post(d, "/config/send", "{\"rate\":\"" + value + "\"}").statusCode());
        // Two workers: both must have it, whichever answers.
        for (int i = 0; i < 6; i++) {
            await().atMost(Duration.ofSeconds(20)).until(() -> get(d, "/api/config").body().contains(value));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void timeoutAnswers504AndTheWorkerServesAgain(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        HttpResponse<String> slow = get(d, "/timeout/slow/4000");
        assertEquals(504, slow.statusCode());
        assertEquals(Map.of("error", "Gateway timeout"), json(slow));
        // The worker still finishes the late request (its answer is dropped), then serves again.
        await().atMost(Duration.ofSeconds(30)).until(() -> get(d, "/timeout/slow/1").statusCode() == 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void killedWorkerAnswers502AndIsRestarted(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        CompletableFuture<HttpResponse<String>> inFlight = LifecycleTest.getAsync(d, "/api/slow/20000");
        PoolStatus.WorkerStatus busy = await().atMost(Duration.ofSeconds(20)).until(
                () -> poolStatus(d, "ApiWorker").workers().stream().filter(w -> !w.currentRequests().isEmpty())
                        .findFirst().orElse(null), w -> w != null);
        ProcessHandle.of(busy.pid()).orElseThrow().destroyForcibly();
        HttpResponse<String> answer = inFlight.get();
        assertEquals(502, answer.statusCode());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            PoolStatus.WorkerStatus w = poolStatus(d, "ApiWorker").workers().get(busy.id());
            return w.ready() && w.pid() != busy.pid() && w.restarts() > busy.restarts();
        });
        assertEquals(200, get(d, "/api/item/2").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void stuckWorkerIsKilledAndRestarted(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        int restartsBefore = poolStatus(d, "hang").workers().get(0).restarts();
        HttpResponse<String> hung = get(d, "/hang/hang");
        assertEquals(502, hung.statusCode(), "a worker without heartbeats for stuckTimeout is killed");
        await().atMost(Duration.ofSeconds(30)).until(() -> poolStatus(d, "hang").workers().get(0).restarts() > restartsBefore);
        DispatcherTest.awaitReady(d);
        assertEquals(200, get(d, "/hang/item/3").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void workerExitIsSeenAtOnce(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        HttpResponse<String> exited = get(d, "/api/exit");
        assertEquals(502, exited.statusCode());
        assertNotEquals("", exited.body());
        DispatcherTest.awaitReady(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void chunkedBodyAndExpectContinueReachTheWorkerDecoded(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        try (RawClient c = new RawClient(d.port())) {
            c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n42}\r\n0\r\n\r\n");
            RawClient.Response chunked = c.read();
            assertEquals(200, chunked.status);
            assertEquals(Map.of("a", 42), json(chunked.text()).get("echo"));

            c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 7\r\n\r\n");
            assertEquals(100, c.read().status, "100 Continue before the body is sent");
            c.send("{\"b\":1}");
            RawClient.Response continued = c.read();
            assertEquals(200, continued.status);
            assertEquals(Map.of("b", 1), json(continued.text()).get("echo"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void pipelinedRequestsAreAnsweredInOrderWhenWorkersAnswerOutOfOrder(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        try (RawClient c = new RawClient(d.port())) {
            // Two workers: the slow first request and the fast second one run at the same time.
            c.send("GET /api/slow/700 HTTP/1.1\r\nHost: t\r\n\r\nGET /api/item/5 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "HEAD /api/item/6 HTTP/1.1\r\nHost: t\r\n\r\n");
            RawClient.Response first = c.read();
            RawClient.Response second = c.read();
            RawClient.Response head = c.read(true);
            assertEquals(Map.of("slept", 700), json(first.text()));
            assertEquals(5, json(second.text()).get("id"));
            assertEquals(200, head.status);
            assertEquals(0, head.body.length, "HEAD has no body");
            assertTrue(Integer.parseInt(head.header("Content-Length")) > 0, "HEAD keeps the GET's Content-Length");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void badInputIsRefusedBeforeAnyWorkerAndTheServerGoesOn(String ipc) throws Exception {
        TestDispatcher d = dispatcher(ipc);
        try (RawClient c = new RawClient(d.port())) {
            // Over the pool's maxStreamedBodySize (8 GiB): bodies over maxContentLength stream to pools now.
            c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 9000000000\r\n\r\n");
            RawClient.Response tooLarge = c.read();
            assertEquals(413, tooLarge.status);
            assertTrue(tooLarge.text().contains("error"), tooLarge.text());
        }
        try (RawClient c = new RawClient(d.port())) {
            c.send("GET /api/item/1 HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n");
            assertEquals(400, c.read().status);
        }
        assertEquals(200, get(d, "/api/item/1").statusCode(), "other clients are still served");
    }

    static Map<String, Object> json(String body) throws IOException {
        return Json.mapper().readValue(body, new TypeReference<Map<String, Object>>() { });
    }
}
