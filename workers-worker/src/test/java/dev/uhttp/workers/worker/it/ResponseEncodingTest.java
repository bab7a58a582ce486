package dev.uhttp.workers.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.worker.testworkers.TestWorker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Responses the channel cannot carry, and where responses are encoded: one worker JVM per case. */
class ResponseEncodingTest {

    /**
     * A response of 256 KiB or more (here 70 MiB, over the IPC frame limit) goes as its head and then
     * pieces of at most 64 KiB, no further than the dispatcher's credit: the worker sends one window,
     * waits, and sends the rest once credited; the worker lives on and answers the next request.
     */
    @ParameterizedTest
    @CsvSource({"pipe, 1", "pipe, 3", "unixsocket, 1", "unixsocket, 3"})
    void aLargeResponseGoesInPiecesUnderCredit(String provider, int concurrency) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, TestWorker.class, concurrency, 100, Map.of())) {
            h.awaitReady();
            long id = h.sendRequest("GET", "/huge", "", new String[0], new byte[0]);
            Message.ResponseStart start = h.awaitMessage(Message.ResponseStart.class, r -> r.id() == id);
            assertEquals(200, start.status());
            assertEquals(70L << 20, start.length());
            java.util.function.LongSupplier sent = () -> h.received().stream()
                    .filter(m -> m instanceof Message.StreamChunk c && c.id() == id)
                    .mapToLong(m -> ((Message.StreamChunk) m).data().length).sum();
            org.awaitility.Awaitility.await().until(() -> sent.getAsLong() >= 1024 * 1024);
            assertEquals(200, h.get("/hello").status(), "the worker is free while its answer waits for credit");
            assertEquals(1024 * 1024, sent.getAsLong(), "one window, no more, without credit");
            h.send(new Message.ResponseCredit(id, 70L << 20));
            h.awaitMessage(Message.StreamEnd.class, e -> e.id() == id);
            h.send(new Message.Stop());
            assertEquals(0, h.awaitExit());
        }
    }

    /** With concurrency &gt; 1, a result is serialised on its handler's thread, not the loop thread. */
    @ParameterizedTest
    @CsvSource({"pipe", "unixsocket"})
    void resultsAreEncodedOnTheHandlerThread(String provider) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, TestWorker.class, 2, 100, Map.of())) {
            h.awaitReady();
            Message.Response r = h.get("/encoded-on");
            assertEquals(200, r.status());
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(body.matches("\\{\"unused\":\"test\\[3]-handler-\\d+\"}"), body);
            h.send(new Message.Stop());
            assertEquals(0, h.awaitExit());
        }
    }
}
