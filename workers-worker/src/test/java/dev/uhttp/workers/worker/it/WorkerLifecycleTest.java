package dev.uhttp.workers.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.worker.testworkers.BadRouteWorker;
import dev.uhttp.workers.worker.testworkers.FailingSetupWorker;
import dev.uhttp.workers.worker.testworkers.TestWorker;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Startup failures, exit rules, concurrency and stuck detection: one worker JVM per case. */
class WorkerLifecycleTest {

    private static void assertNoWarnings(WorkerHarness h) throws IOException {
        String stderr = h.stderr();
        assertFalse(stderr.contains("WARNING"), "worker JVM printed warnings:\n" + stderr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void setupFailureIsReportedAndTheProcessExits(String provider) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, FailingSetupWorker.class, 1, 100, Map.of())) {
            Message.Log log = h.awaitMessage(Message.Log.class, l -> l.level() == LogLevel.CRITICAL.value());
            assertTrue(log.message().contains("java.lang.IllegalStateException: database unreachable")
                    && log.message().contains("\tat " + FailingSetupWorker.class.getName() + ".setup"), log.message());
            assertEquals("test[3]", log.logger());
            assertNotEquals(0, h.awaitExit());
            assertNull(h.find(Message.Ready.class, r -> true));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void invalidRouteFailsStartupNamingTheMethod(String provider) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, BadRouteWorker.class, 1, 100, Map.of())) {
            Message.Log log = h.awaitMessage(Message.Log.class, l -> l.level() == LogLevel.CRITICAL.value());
            assertTrue(log.message().contains(BadRouteWorker.class.getName() + ".bad")
                    && log.message().contains("/bad"), log.message());
            assertEquals(1, h.awaitExit());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void unknownWorkerClassFailsStartup(String provider) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, String.class, 1, 100, Map.of())) {
            Message.Log log = h.awaitMessage(Message.Log.class, l -> l.level() == LogLevel.CRITICAL.value());
            assertTrue(log.message().contains("does not extend"), log.message());
            assertEquals(1, h.awaitExit());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void exitsWhenTheChannelCloses(String provider) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, TestWorker.class, 1, 100, Map.of())) {
            h.awaitReady();
            h.closeChannel();
            assertEquals(0, h.awaitExit());
            assertNoWarnings(h);
        }
    }

    /**
     * Concurrency 3: three blocked requests are reported busy together with a growing stall; after
     * Stop, new requests are refused and the in-flight ones are still answered before a clean exit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void concurrencyRunsRequestsAtOnceAndStopFinishesThem(String provider) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, TestWorker.class, 3, 50, Map.of())) {
            h.awaitReady();
            // keepAlive from a handler thread that is not the loop thread
            long kept = h.sendRequest("GET", "/keepalive", "", new String[0], new byte[0]);
            h.awaitMessage(Message.KeepAlive.class, k -> k.id() == kept);
            assertEquals(200, h.response(kept).status());

            long[] ids = {
                h.sendRequest("GET", "/block/a", "", new String[0], new byte[0]),
                h.sendRequest("GET", "/block/b", "", new String[0], new byte[0]),
                h.sendRequest("GET", "/block/c", "", new String[0], new byte[0]),
            };
            Message.Heartbeat allBusy = h.awaitMessage(Message.Heartbeat.class, hb -> Arrays.equals(hb.busy(), ids));
            Message.Heartbeat later = h.awaitMessage(Message.Heartbeat.class,
                    hb -> Arrays.equals(hb.busy(), ids) && hb.stalledMillis() > allBusy.stalledMillis() + 100);
            assertTrue(later.stalledMillis() > allBusy.stalledMillis());

            h.send(new Message.Stop());
            Message.Response refused = h.response(h.sendRequest("GET", "/hello", "", new String[0], new byte[0]));
            assertEquals(503, refused.status());
            h.send(new Message.Config(Map.of("release", true)));
            for (long id : ids) {
                assertEquals(200, h.response(id).status());
            }
            assertEquals(0, h.awaitExit());
            assertNoWarnings(h);
        }
    }

    /** Concurrency 1: a handler stuck on the loop thread stops heartbeats, which is how it is detected. */
    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void stuckHandlerStopsHeartbeats(String provider) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, TestWorker.class, 1, 50, Map.of())) {
            h.awaitReady();
            h.awaitMessage(Message.Heartbeat.class, hb -> true);
            h.sendRequest("GET", "/spin", "", new String[0], new byte[0]);
            Message.Log spinning = h.awaitLog("spinning"::equals);
            // Nothing after the handler's own log record can be a heartbeat while it spins.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> {
                List<Message> all = h.received();
                return all.subList(all.indexOf(spinning), all.size()).stream()
                        .noneMatch(m -> m instanceof Message.Heartbeat);
            });
            assertTrue(h.process().isAlive());
        }
    }
}
