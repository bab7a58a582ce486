package dev.uhttp.workers.dispatcher;

import static dev.uhttp.workers.dispatcher.DispatcherTest.awaitReady;
import static dev.uhttp.workers.dispatcher.DispatcherTest.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.http.RawClient;
import dev.uhttp.workers.dispatcher.http.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Dispatchers started for one test each: degraded pools, max pending, shutdown, orphans. */
class LifecycleTest {

    /**
     * Blocking client calls run on their own threads: the common pool has one thread on a 2-core
     * machine, which would run two "concurrent" requests one after the other.
     */
    static final java.util.concurrent.ExecutorService CLIENTS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-client");
        t.setDaemon(true);
        return t;
    });

    static CompletableFuture<HttpResponse<String>> getAsync(Dispatcher d, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return get(d, path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, CLIENTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void poolDegradesAfterTooManyRestartsAndRecovers(String ipc) throws Exception {
        Path marker = Files.createTempFile("flaky", ".fail");
        Dispatcher d = new Dispatcher().port(0).address("127.0.0.1").ipc(ipc)
                .pool(WorkerPool.of(TestWorkers.FlakyWorker.class).routes("/flaky/**")
                        .maxRestarts(2).restartWindow(Duration.ofSeconds(10))
                        .kwarg("failWhile", marker.toString()))
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> d.status().pools().get(0).degraded());
            HttpResponse<String> unavailable = get(d, "/flaky/ping");
            assertEquals(503, unavailable.statusCode());
            assertTrue(unavailable.body().contains("degraded"), unavailable.body());
            Files.delete(marker);
            await().atMost(Duration.ofSeconds(60)).until(() -> !d.status().pools().get(0).degraded());
            assertEquals(200, get(d, "/flaky/ping").statusCode());
        } finally {
            d.stop();
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void userChannelsIdleHookAndDispatcherLevel404WithoutPools() throws Exception {
        TestDispatcher d = new TestDispatcher();
        d.port(0).address("127.0.0.1").idleInterval(Duration.ofMillis(50)).start();
        try {
            java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
            java.util.concurrent.atomic.AtomicInteger bytesSeen = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<Void> registered = new CompletableFuture<>();
            d.execute(() -> {
                try {
                    d.register(pipe.source(), java.nio.channels.SelectionKey.OP_READ, key -> {
                        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64);
                        try {
                            bytesSeen.addAndGet(pipe.source().read(buf));
                        } catch (IOException e) {
                            key.cancel();
                        }
                    });
                    registered.complete(null);
                } catch (IOException e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.get();
            pipe.sink().write(java.nio.ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(10)).until(() -> bytesSeen.get() == 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.idleCalls.get() >= 3);
            HttpResponse<String> missing = get(d, "/nothing/here");
            assertEquals(404, missing.statusCode());
            assertEquals("{\"error\":\"Not found\"}", missing.body());
            HttpResponse<String> wrongMethod = DispatcherTest.post(d, "/health", "{}");
            assertEquals(405, wrongMethod.statusCode(), "a sync route with another method and no pool");
            assertEquals("GET, HEAD", wrongMethod.headers().firstValue("Allow").orElse(""));
        } finally {
            d.stop();
        }
    }

    @Test
    void headOnAStreamingRouteEndsTheStreamAndHoldsNothing() throws Exception {
        Dispatcher d = new Dispatcher().port(0).address("127.0.0.1").maxPending(3)
                .pool(WorkerPool.of(StreamWorkers.StreamWorker.class).routes("/s/**"))
                .start();
        try {
            awaitReady(d);
            for (int i = 0; i < 6; i++) {
                try (RawClient c = new RawClient(d.port())) {
                    c.send("HEAD /s/hold HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertEquals(200, c.read(true).status);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> d.status().pending() == 0);
            assertEquals(200, get(d, "/s/ping").statusCode(), "no pending slot was leaked");
        } finally {
            d.stop();
        }
    }

    @Test
    void aWorkerThatNeverGetsReadyIsKilledAfterTheStartupTimeout() throws Exception {
        Dispatcher d = new Dispatcher().port(0).address("127.0.0.1")
                .pool(WorkerPool.of(TestWorkers.HangingSetupWorker.class).routes("/never/**")
                        .startupTimeout(Duration.ofSeconds(2)))
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> d.status().pools().get(0).workers().get(0).restarts() >= 2);
        } finally {
            d.stop();
        }
    }

    @Test
    void maxPendingAnswers503() throws Exception {
        Dispatcher d = new Dispatcher().port(0).address("127.0.0.1").maxPending(2)
                .pool(WorkerPool.of(TestWorkers.ApiWorker.class).routes("/api/**"))
                .start();
        try {
            awaitReady(d);
            // The slow one first (the worker holds it), then one that must wait in the queue behind it.
            CompletableFuture<HttpResponse<String>> first = getAsync(d, "/api/slow/5000");
            await().atMost(Duration.ofSeconds(20)).until(() -> d.status().pending() == 1);
            CompletableFuture<HttpResponse<String>> second = getAsync(d, "/api/slow/10");
            await().atMost(Duration.ofSeconds(20)).until(() -> d.status().pending() == 2 || first.isDone());
            assertEquals(2, d.status().pending(), () -> "both requests pending; first " + first + ", second " + second);
            HttpResponse<String> third = get(d, "/api/item/1");
            assertEquals(503, third.statusCode());
            assertEquals(200, first.get().statusCode());
            assertEquals(200, second.get().statusCode());
        } finally {
            d.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void gracefulShutdownAnswersInFlightRequestsAndStopsWorkers(String ipc) throws Exception {
        Dispatcher d = new Dispatcher().port(0).address("127.0.0.1").ipc(ipc)
                .pool(WorkerPool.of(TestWorkers.ApiWorker.class).workers(2).routes("/api/**"))
                .start();
        awaitReady(d);
        List<Long> pids = new ArrayList<>();
        d.status().pools().get(0).workers().forEach(w -> pids.add(w.pid()));
        int port = d.port();
        CompletableFuture<HttpResponse<String>> inFlight = getAsync(d, "/api/slow/1500");
        await().atMost(Duration.ofSeconds(20)).until(() -> d.status().pending() == 1);
        d.stop();
        assertEquals(200, inFlight.get().statusCode(), "in-flight requests are answered before stopping");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " stopped");
        }
        assertThrows(ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void httpsReachesThePoolAndTellsTheWorker(String ipc, @TempDir Path dir) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        Dispatcher d = new Dispatcher().port(0).address("127.0.0.1").ipc(ipc).sslContext(certificate.server)
                .pool(WorkerPool.of(TestWorkers.ApiWorker.class).routes("/api/**"))
                .start();
        try {
            awaitReady(d);
            HttpClient client = HttpClient.newBuilder().sslContext(certificate.client)
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + d.port() + "/api/item/9")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(Map.of("id", 9, "query", Map.of(), "secure", true), DispatcherTest.json(response.body()));
        } finally {
            d.stop();
        }
    }

    @Test
    void shutdownEndsOpenStreamsAtOnceInsteadOfWaitingForThem() throws Exception {
        Dispatcher d = new Dispatcher().port(0).address("127.0.0.1").shutdownTimeout(Duration.ofSeconds(60))
                .pool(WorkerPool.of(StreamWorkers.StreamWorker.class).routes("/s/**"))
                .start();
        awaitReady(d);
        try (RawClient c = new RawClient(d.port())) {
            c.send("GET /s/hold HTTP/1.1\r\nHost: t\r\n\r\n");
            String head = new String(c.input().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", head);
            await().atMost(Duration.ofSeconds(20)).until(() -> !d.pool("StreamWorker").streams().isEmpty());
            // With a 60 s shutdown timeout, stop() returns quickly only if the stream is ended for it.
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(d::stop, CLIENTS);
            String rest = new String(c.input().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(rest.endsWith("0\r\n\r\n"), "the stream ends with the last chunk: " + rest);
            stopped.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** A dispatcher in its own JVM: SIGTERM exits 0 with workers stopped; SIGKILL leaves no orphan. */
    @ParameterizedTest
    @ValueSource(strings = {"TERM", "KILL"})
    void noWorkerOutlivesTheDispatcher(String signal) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp",
                System.getProperty("java.class.path"), StandaloneDispatcher.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Long> pids = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                if (line.startsWith("WORKER ")) {
                    pids.add(Long.parseLong(line.substring(7)));
                }
            }
            assertEquals(2, pids.size(), "the child reported its workers");
            if (signal.equals("TERM")) {
                child.destroy();
                assertEquals(0, child.waitFor(), "SIGTERM is a clean exit");
            } else {
                child.destroyForcibly();
                child.waitFor();
            }
        } finally {
            child.destroyForcibly();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> pids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    /** The dispatcher run by {@link #noWorkerOutlivesTheDispatcher}: reports its workers once ready. */
    public static final class StandaloneDispatcher extends Dispatcher {
        private boolean reported;

        @Override
        protected void onIdle() {
            PoolStatus pool = status().pools().get(0);
            if (!reported && pool.workers().stream().allMatch(PoolStatus.WorkerStatus::ready)) {
                reported = true;
                pool.workers().forEach(w -> System.out.println("WORKER " + w.pid()));
                System.out.println("READY");
                System.out.flush();
            }
        }

        public static void main(String[] args) {
            new StandaloneDispatcher().port(0).address("127.0.0.1").idleInterval(Duration.ofMillis(100))
                    .pool(WorkerPool.of(TestWorkers.ApiWorker.class).workers(2).routes("/api/**"))
                    .run();
        }
    }
}
