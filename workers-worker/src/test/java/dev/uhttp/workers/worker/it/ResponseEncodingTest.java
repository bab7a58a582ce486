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
     * A response over the IPC frame limit is answered 500 with an ERROR naming the request; the
     * channel stays open, so the worker lives on and answers the next request.
     */
    @ParameterizedTest
    @CsvSource({"pipe, 1", "pipe, 3", "unixsocket, 1", "unixsocket, 3"})
    void responseOverTheFrameLimitIsA500AndTheWorkerLivesOn(String provider, int concurrency) throws IOException {
        try (WorkerHarness h = WorkerHarness.launch(provider, TestWorker.class, concurrency, 100, Map.of())) {
            h.awaitReady();
            long id = h.sendRequest("GET", "/huge", "", new String[0], new byte[0]);
            Message.Response r = h.response(id);
            assertEquals(500, r.status());
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(body.startsWith("{\"error\":\"response too large: "), body);
            Message.Log error = h.awaitMessage(Message.Log.class, l -> l.level() == LogLevel.ERROR.value()
                    && l.message().contains("GET /huge #" + id));
            assertTrue(error.message().contains("exceeds the limit"), error.message());

            assertEquals(200, h.get("/hello").status());
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
