package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.dispatcher.http.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that sent {@code Expect: 100-continue} waits for the dispatcher, not the other way round:
 * while its request is queued behind a busy worker (both its slots held), longer than the header timeout, it gets no 408; it
 * gets {@code 100 Continue} once the worker takes the request (the request timeout starts then), and the
 * final answer after its body.
 */
class ExpectContinueQueuedTest {
    private static final long LENGTH = 256 * 1024; // streamed: over streamBodiesOver (64 KiB)

    @Test
    void aClientWaitingFor100WhileItsRequestIsQueuedIsNotTimedOut() throws Exception {
        StreamedBodyTest.Bodies d = new StreamedBodyTest.Bodies();
        d.port(0).address("127.0.0.1").classDataArchives(null).headerTimeout(Duration.ofMillis(500))
                .pool(WorkerPool.of(BodyWorkers.UploadWorker.class).name("up").routes("/up/**").concurrency(2))
                .start();
        try {
            DispatcherTest.awaitReady(d);
            // Connections are opened when used: one that sends nothing is closed at the header timeout.
            // The worker's two slots: handlers that wait for their gate before they read their bodies.
            try (RawClient busy1 = new RawClient(d.port()); RawClient busy2 = new RawClient(d.port())) {
                for (RawClient busy : List.of(busy1, busy2)) {
                    busy.send("POST /up/gated HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> d.onLoop(() -> d.pool("up").status().pending()) == 2);
                try (RawClient waiting = new RawClient(d.port())) {
                    waiting.send(StreamedBodyTest.head("POST", "/up/sha256", LENGTH)
                            .replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n"));
                    await().atMost(Duration.ofSeconds(20)).until(() -> d.onLoop(() -> d.pool("up").status().queued()) == 1);
                    // A connection that starts its request after the waiting one's and stops mid-head: its 408
                    // says the header timeout has run out for the waiting one too (its timer started earlier).
                    try (RawClient witness = new RawClient(d.port())) {
                        witness.send("GET /up/ping HTTP/1.1\r\nHost: t\r\n");
                        assertEquals(408, witness.read().status);
                    }
                    assertEquals(1, d.onLoop(() -> d.pool("up").status().queued()), "the waiting request is still queued");

                    d.onLoop(() -> {
                        d.pool("up").sendConfig(Map.of("open-gate", 2));
                        return null;
                    });
                    assertEquals(200, busy1.read().status);
                    assertEquals(200, busy2.read().status);
                    assertEquals(100, waiting.read().status, "100 Continue once the worker takes it, no 408 before");
                    StreamedBodyTest.Generated body = new StreamedBodyTest.Generated();
                    body.writeTo(waiting.socket().getOutputStream(), LENGTH);
                    RawClient.Response answer = waiting.read();
                    assertEquals(200, answer.status, answer.text());
                    assertEquals(LENGTH, answer.json().get("bytes").asLong());
                    assertEquals(body.hex(), answer.json().get("sha256").asText());
                }
            }
        } finally {
            d.stop();
        }
    }
}
