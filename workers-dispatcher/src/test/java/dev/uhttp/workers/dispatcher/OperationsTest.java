package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uhttp.workers.api.LogLevel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recycling, reload, resize, spares and drain with real worker JVMs under bounded load from test
 * threads, over both providers: no client ever sees an error.
 */
class OperationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path teardowns;
    private OpsDispatcher dispatcher;

    /** Records logs, deaths and removals; answers its status. */
    public static class OpsDispatcher extends Dispatcher {
        final List<String> logs = new CopyOnWriteArrayList<>();
        final List<String> deaths = new CopyOnWriteArrayList<>();
        final Map<Long, List<RemovalReason>> removals = new ConcurrentHashMap<>();

        @Override
        protected void onLog(String name, LogLevel level, String message) {
            logs.add(name + " " + message);
            super.onLog(name, level, message);
        }

        @Override
        protected void onWorkerDied(WorkerDeath death) {
            deaths.add(death.pool() + ":" + death.workerId() + ":" + death.reason() + ":" + death.exitCode() + ":"
                    + death.victims().size());
        }

        @Override
        protected void onRequestRemoved(PoolRequest request, RemovalReason reason) {
            removals.computeIfAbsent(request.id(), k -> new CopyOnWriteArrayList<>()).add(reason);
        }

        boolean logged(String fragment) {
            return logs.stream().anyMatch(l -> l.contains(fragment));
        }
    }

    private OpsDispatcher start(String ipc, UnaryOperator<WorkerPool> settings, WorkerPool... others) {
        WorkerPool pool = settings.apply(WorkerPool.of(OpsWorkers.OpsWorker.class).name("ops").routes("/ops/**")
                .heartbeatInterval(Duration.ofMillis(100)).kwarg("teardownDir", teardowns.toString()));
        dispatcher = new OpsDispatcher();
        dispatcher.address("127.0.0.1").port(0).ipc(ipc).classDataArchives(null).pool(pool).pool(others);
        dispatcher.start();
        return dispatcher;
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    private static <T> T onLoop(Dispatcher d, java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        d.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }

    private static PoolStatus status(Dispatcher d) throws Exception {
        return onLoop(d, () -> d.pool("ops").status());
    }

    private static List<PoolStatus.WorkerStatus> workers(Dispatcher d, String role) throws Exception {
        return status(d).workers().stream().filter(w -> w.role().text().equals(role) && w.ready()).toList();
    }

    private static void awaitActive(Dispatcher d, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> workers(d, "active").size() == n
                && status(d).workers().size() == n + workers(d, "spare").size());
    }

    private Set<Long> teardownPids() throws IOException {
        try (var files = Files.list(teardowns)) {
            return files.map(p -> Long.parseLong(p.getFileName().toString().substring("teardown-".length())))
                    .collect(Collectors.toSet());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void recyclingUnderLoadNeverFailsARequest(String ipc) throws Exception {
        OpsDispatcher d = start(ipc, p -> p.workers(2).maxRequests(20).maxRequestsJitter(5));
        awaitActive(d, 2);
        try (Load load = new Load(d.port(), "/ops/pid", 4)) {
            load.awaitRequests(300);
            await().atMost(Duration.ofSeconds(60)).until(() -> load.pids().size() >= 10);
            load.close();
            load.assertAll200();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> teardownPids().size() >= 5);
        assertTrue(d.deaths.isEmpty(), "recycles are no deaths: " + d.deaths);
        assertTrue(d.logged("is recycled (max-requests)"));
        assertFalse(status(d).degraded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void reloadUnderLoadReplacesEveryWorker(String ipc) throws Exception {
        OpsDispatcher d = start(ipc, p -> p.workers(2).timeout(Duration.ofSeconds(20)));
        awaitActive(d, 2);
        Set<Long> before = status(d).workers().stream().map(PoolStatus.WorkerStatus::pid).collect(Collectors.toSet());
        try (Load load = new Load(d.port(), "/ops/pid", 4)) {
            load.awaitRequests(100);
            d.reload();
            await().atMost(Duration.ofSeconds(60)).until(() -> !status(d).reloading()
                    && status(d).workers().size() == 2
                    && status(d).workers().stream().noneMatch(w -> before.contains(w.pid()))
                    && status(d).workers().stream().allMatch(PoolStatus.WorkerStatus::ready));
            long after = load.requests();
            load.awaitRequests(after + 100);
            load.close();
            load.assertAll200();
        }
        assertTrue(status(d).workers().stream().allMatch(w -> w.generation() == 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> teardownPids().containsAll(before));
        assertTrue(d.logged("reloaded: every worker replaced"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void resizeUnderLoad(String ipc) throws Exception {
        OpsDispatcher d = start(ipc, p -> p.workers(2));
        awaitActive(d, 2);
        try (Load load = new Load(d.port(), "/ops/pid", 4)) {
            load.awaitRequests(50);
            onLoop(d, () -> {
                d.pool("ops").resize(4);
                return null;
            });
            awaitActive(d, 4);
            load.awaitRequests(load.requests() + 100);
            onLoop(d, () -> {
                d.pool("ops").resize(1);
                return null;
            });
            awaitActive(d, 1);
            load.awaitRequests(load.requests() + 100);
            load.close();
            load.assertAll200();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> teardownPids().size() == 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void aSpareTakesAKilledWorkersPlaceBeforeAnyJvmStarts(String ipc) throws Exception {
        OpsDispatcher d = start(ipc, p -> p.workers(1).spares(1));
        awaitActive(d, 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> workers(d, "spare").size() == 1);
        long active = workers(d, "active").get(0).pid();
        long spare = workers(d, "spare").get(0).pid();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> busy = client.sendAsync(get(d.port(), "/ops/slow/20000"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !workers(d, "active").get(0).currentRequests().isEmpty());
        CompletableFuture<HttpResponse<String>> queued = client.sendAsync(get(d.port(), "/ops/pid"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> status(d).queued() == 1);
        new ProcessBuilder("kill", "-9", Long.toString(active)).start().waitFor();
        assertEquals(502, busy.get().statusCode());
        HttpResponse<String> answer = queued.get();
        assertEquals(200, answer.statusCode());
        assertEquals(spare, ((Number) JSON.readValue(answer.body(), Map.class).get("pid")).longValue(),
                "the spare took the queued request");
        // Order of events: the spare took the place before any new JVM was ready.
        await().atMost(Duration.ofSeconds(60)).until(() -> workers(d, "spare").size() == 1);
        int promoted = indexOf(d.logs, "spare worker 1 (pid " + spare + ") takes the place of worker 0");
        int newSpare = indexOf(d.logs, "spare worker 0 ready");
        assertTrue(promoted >= 0 && newSpare > promoted, d.logs::toString);
        assertTrue(d.deaths.contains("ops:0:DIED:137:1"), d.deaths::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void aDrainingWorkerFinishesItsDeferredRequestAndStreamBeforeItExits(String ipc) throws Exception {
        OpsDispatcher d = start(ipc, p -> p.workers(1).maxRequests(2).drainTimeout(Duration.ofSeconds(60)));
        awaitActive(d, 1);
        long old = workers(d, "active").get(0).pid();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> stream = client.sendAsync(get(d.port(), "/ops/stream/14000"),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> deferred = client.sendAsync(get(d.port(), "/ops/hold/12000"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> d.removals.size() == 0 && status(d).pending() == 2);
        for (int i = 0; i < 2; i++) {
            assertEquals(200, client.send(get(d.port(), "/ops/pid"), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> workers(d, "draining").size() == 1);
        assertTrue(ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false), "still alive while it holds work");
        HttpResponse<String> answered = deferred.get();
        assertEquals(200, answered.statusCode());
        assertEquals(old, ((Number) JSON.readValue(answered.body(), Map.class).get("pid")).longValue());
        String events = stream.get().body();
        assertTrue(events.contains("event: bye"), "the stream ended as its worker ended it: " + events);
        await().atMost(Duration.ofSeconds(30)).until(() -> teardownPids().contains(old)
                && ProcessHandle.of(old).map(h -> !h.isAlive()).orElse(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(d).workers().size() == 1);
        for (List<RemovalReason> reasons : d.removals.values()) {
            assertEquals(1, reasons.size(), "exactly once: " + d.removals);
        }
        assertTrue(d.removals.values().stream().flatMap(List::stream).allMatch(r -> r == RemovalReason.COMPLETED
                || r == RemovalReason.STREAM_CLOSED), d.removals::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void parkedWorkersAndARecoveryIntervalAnswer503WithRetryAfter(String ipc) throws Exception {
        OpsDispatcher d = start(ipc, p -> p.workers(1),
                WorkerPool.of(OpsWorkers.FailingSetupWorker.class).name("parked").routes("/parked/**")
                        .workers(2).kwarg("exit", 78).permanentFailureExitCode(78),
                WorkerPool.of(OpsWorkers.FailingSetupWorker.class).name("flaky").routes("/flaky/**")
                        .kwarg("exit", 1).maxRestarts(1).recoveryInterval(Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> d.deaths.stream().filter(x -> x.startsWith("parked:")).count() == 2
                && d.logged("pool parked is degraded for good"));
        assertTrue(d.deaths.containsAll(List.of("parked:0:PARKED:78:0", "parked:1:PARKED:78:0")), d.deaths::toString);
        HttpResponse<String> parked = HttpClient.newHttpClient().send(get(d.port(), "/parked/x"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, parked.statusCode());
        assertTrue(parked.headers().firstValue("Retry-After").isPresent(), parked.headers()::toString);
        // The flaky pool keeps trying every second, whatever its restart budget says.
        await().atMost(Duration.ofSeconds(60)).until(() -> d.deaths.stream().filter(x -> x.startsWith("flaky:")).count() >= 4);
        HttpResponse<String> flaky = HttpClient.newHttpClient().send(get(d.port(), "/flaky/x"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, flaky.statusCode());
        long retryAfter = Long.parseLong(flaky.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        assertEquals(200, HttpClient.newHttpClient().send(get(d.port(), "/ops/pid"), HttpResponse.BodyHandlers.ofString())
                .statusCode(), "the other pools serve on");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void shutdownRunsTeardownAndEndsEveryRequestOnce(String ipc) throws Exception {
        OpsDispatcher d = start(ipc, p -> p.workers(2).timeout(Duration.ofSeconds(1)));
        awaitActive(d, 2);
        Set<Long> pids = status(d).workers().stream().map(PoolStatus.WorkerStatus::pid).collect(Collectors.toSet());
        HttpClient client = HttpClient.newHttpClient();
        assertEquals(200, client.send(get(d.port(), "/ops/pid"), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(504, client.send(get(d.port(), "/ops/hold/60000"), HttpResponse.BodyHandlers.ofString()).statusCode());
        CompletableFuture<HttpResponse<String>> stream = client.sendAsync(get(d.port(), "/ops/stream/60000"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !onLoop(d, () -> d.pool("ops").streams()).isEmpty());
        d.stop();
        dispatcher = null;
        assertEquals(200, stream.get().statusCode(), "the stream ended cleanly");
        assertEquals(pids, teardownPids(), "teardown() ran in every worker");
        Map<RemovalReason, Long> reasons = d.removals.values().stream().peek(r -> assertEquals(1, r.size(), d.removals::toString))
                .collect(Collectors.groupingBy(r -> r.get(0), Collectors.counting()));
        assertEquals(Map.of(RemovalReason.COMPLETED, 1L, RemovalReason.TIMEOUT, 1L, RemovalReason.SHUTDOWN, 1L), reasons);
    }

    private static int indexOf(List<String> logs, String fragment) {
        for (int i = 0; i < logs.size(); i++) {
            if (logs.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build();
    }

    /** Client threads sending requests on keep-alive connections until closed (at most 60 s). */
    static final class Load implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        private final Set<Long> pids = ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean stop;

        Load(int port, String path, int clients) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    while (!stop && System.nanoTime() - deadline < 0) {
                        try {
                            HttpResponse<String> r = client.send(get(port, path), HttpResponse.BodyHandlers.ofString());
                            statuses.merge(r.statusCode(), 1, Integer::sum);
                            if (r.statusCode() == 200) {
                                pids.add(((Number) JSON.readValue(r.body(), Map.class).get("pid")).longValue());
                            }
                        } catch (IOException e) {
                            statuses.merge(-1, 1, Integer::sum);
                        } catch (InterruptedException e) {
                            return;
                        }
                        count.incrementAndGet();
                    }
                }, "load-" + i);
                t.start();
                threads.add(t);
            }
        }

        long requests() {
            return count.get();
        }

        void awaitRequests(long n) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count.get() >= n);
        }

        Set<Long> pids() {
            return pids;
        }

        void assertAll200() {
            assertEquals(Set.of(200), statuses.keySet(), "every answer 200: " + statuses);
            assertNotNull(statuses.get(200));
        }

        @Override
        public void close() throws InterruptedException {
            if (stop) {
                return;
            }
            stop = true;
            for (Thread t : threads) {
                t.join(70_000);
            }
        }
    }
}
