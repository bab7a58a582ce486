package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When the engine serves a connection's next request with the exchange object of an earlier one
 * ({@link HttpExchange#reuseOnceWritten}): only once that earlier answer was written, only when it was
 * answered whole with no callbacks and the connection stays open; each reuse is a new generation.
 * A route of {@link TestHandler} answers with the object's identity and generation.
 */
class ExchangeReuseTest {
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(HttpLimits.builder().build());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

    /** [identity, generation] of the exchange that answered. */
    private static long[] served(RawClient.Response r) {
        assertEquals(200, r.status, r.text());
        String[] parts = r.text().split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    @Test
    void aWrittenAnswersExchangeServesTheNextRequestAsANewGeneration() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            long[] first = served(c.send(get("/reused")).read());
            long[] second = served(c.send(get("/reused")).read());
            long[] third = served(c.send(get("/reused")).read());
            assertEquals(0, first[1], "a new exchange");
            assertEquals(first[0], second[0], "the same object");
            assertEquals(1, second[1]);
            assertEquals(first[0], third[0]);
            assertEquals(2, third[1]);
        }
        try (RawClient pipelined = new RawClient(f.port())) { // parsed from one read: each written before the next
            pipelined.send(get("/reused") + get("/reused") + get("/reused"));
            for (int i = 0; i < 3; i++) {
                assertEquals(i, served(pipelined.read())[1], "request " + i);
            }
        }
    }

    @Test
    void anAnswerQueuedBehindAnUnansweredRequestIsNotReusedBeforeItIsWritten() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            c.send(get("/later?ms=300&tag=slow") + get("/reused") + get("/reused"));
            assertEquals("slow", c.read().text());
            long[] a = served(c.read());
            long[] b = served(c.read());
            assertEquals(0, a[1], "answered while the slow one was unanswered: a new exchange");
            assertEquals(0, b[1], "the one before was not written yet: a new exchange");
            assertNotEquals(a[0], b[0]);
            long[] next = served(c.send(get("/reused")).read());
            assertEquals(1, next[1], "one of the written ones, reused");
            assertTrue(next[0] == a[0] || next[0] == b[0]);
        }
    }

    @Test
    void anExchangeWithCallbacksOrClosingItsConnectionIsNotReused() throws Exception {
        try (RawClient c = new RawClient(f.port())) {
            long[] withCallback = served(c.send(get("/reused?onclose")).read());
            long[] next = served(c.send(get("/reused")).read());
            assertEquals(0, next[1], "an onClose holder has no generation to check: never reused");
            assertNotEquals(withCallback[0], next[0]);
        }
        try (RawClient c = new RawClient(f.port())) {
            served(c.send(get("/reused?close")).read());
            assertTrue(c.isClosedByServer());
        }
        assertTrue(f.logs.stream().noneMatch(l -> l.contains("ERROR") || l.contains("Exception")), f.logs::toString);
    }
}
