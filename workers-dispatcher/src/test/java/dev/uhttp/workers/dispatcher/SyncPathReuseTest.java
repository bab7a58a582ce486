package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.http.RawClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the loop route's path reuses from one request to the next (the JSON buffer of the loop
 * thread, a connection's recent strings, its last parsed target and head, the router's routing
 * record) never carries one request's data into another's answer: pipelined requests that repeat or
 * change one field each get their own answer; an exchange kept after its request finished answers
 * nothing; a client leaving in the middle of a request leaves nothing behind.
 */
class SyncPathReuseTest {
    static final Queue<String> LOGS = new ConcurrentLinkedQueue<>();

    /** Loop routes that echo what they were given, as plain JSON (PlainJson's path). */
    public static class Echo extends Dispatcher {
        Exchange kept;

        @LoopRoute("/echo")
        public void echo(Exchange client) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", client.path());
            m.put("n", client.queryParam("n"));
            m.put("tag", client.header("x-tag"));
            String pad = client.queryParam("pad");
            m.put("pad", pad == null ? List.of() : List.of("x".repeat(Integer.parseInt(pad))));
            client.respond(m);
        }

        @LoopRoute("/other")
        public void other(Exchange client) {
            client.respond(List.of(client.path(), String.valueOf(client.header("x-tag"))));
        }

        @LoopRoute("/keep")
        public void keep(Exchange client) {
            kept = client;
            client.respond(Map.of("kept", true));
        }

        @LoopRoute("/late")
        public void late(Exchange client) {
            kept.respond(Map.of("stale", true)); // the finished request's exchange: answers nothing
            client.respond(Map.of("late", kept.isAnswered()));
        }

        @LoopRoute("/stale-read")
        public void staleRead(Exchange client) {
            String read;
            try {
                read = kept.path(); // the kept request's answer was written: its exchange serves others now
            } catch (IllegalStateException e) {
                read = e.getClass().getSimpleName();
            }
            client.respond(Map.of("read", read, "path", client.path(), "kept", kept.toString()));
        }

        volatile Exchange held;

        @LoopRoute("/hold")
        public void hold(Exchange client) {
            held = client; // answered later, by /complete-held
        }

        @LoopRoute("/complete-held")
        public void completeHeld(Exchange client) {
            held.respond(Map.of("held", held.path()));
            client.respond(Map.of("completed", held.isAnswered(), "path", client.path()));
        }

        @Override
        protected void onLog(String name, LogLevel level, String message) {
            LOGS.add(level + " " + name + ": " + message);
        }
    }

    static Echo d;

    @BeforeAll
    static void start() {
        d = new Echo();
        d.address("127.0.0.1").port(0).classDataArchives(null).start();
    }

    @AfterAll
    static void stop() {
        d.stop();
    }

    private static String get(String target, String tag) {
        return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + (tag == null ? "" : "X-Tag: " + tag + "\r\n") + "\r\n";
    }

    @Test
    void pipelinedRequestsRepeatingOrChangingOneFieldEachGetTheirOwnAnswer() throws Exception {
        int n = 240;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < n; i++) {
            all.append(request(i));
        }
        try (RawClient c = new RawClient(d.port())) {
            c.send(all.toString()); // read only after all were sent: answers queue behind each other
            for (int i = 0; i < n; i++) {
                RawClient.Response r = c.read();
                assertEquals(200, r.status, "request " + i);
                assertEquals("application/json", r.header("Content-Type"));
                assertEquals(expected(i), r.text(), "request " + i);
            }
        }
        assertNoFailure();
    }

    /**
     * Runs of the same request (the parser's last target and head serve again), then one field
     * changed: the path, the query, a header's value, the header's presence; every fifth answer is
     * larger than the connection's answer buffer (the JSON copied into an array of its own).
     */
    private static String request(int i) {
        int run = i / 3;
        String tag = tag(run);
        if (run % 5 == 4) {
            return get("/other", tag);
        }
        return get("/echo?n=" + run + (i % 5 == 0 ? "&pad=" + 2000 : ""), tag);
    }

    /** The X-Tag of a run: the same, another, none, a new one. */
    private static String tag(int run) {
        return switch (run % 4) {
            case 0 -> "a";
            case 1 -> "b";
            case 2 -> null;
            default -> "a" + run;
        };
    }

    private static String expected(int i) {
        int run = i / 3;
        String tag = tag(run);
        if (run % 5 == 4) {
            return "[\"/other\",\"" + tag + "\"]";
        }
        String pad = i % 5 == 0 ? "[\"" + "x".repeat(2000) + "\"]" : "[]";
        return "{\"path\":\"/echo\",\"n\":\"" + run + "\",\"tag\":" + (tag == null ? "null" : "\"" + tag + "\"")
                + ",\"pad\":" + pad + "}";
    }

    @Test
    void anExchangeKeptAfterItsRequestFinishedAnswersNothing() throws Exception {
        try (RawClient c = new RawClient(d.port())) {
            assertEquals("{\"kept\":true}", c.send(get("/keep", null)).read().text());
            RawClient.Response late = c.send(get("/late", null)).read();
            assertEquals("{\"late\":true}", late.text(), "the late request's own answer, not the stale one");
            assertEquals("{\"path\":\"/echo\",\"n\":\"1\",\"tag\":\"z\",\"pad\":[]}",
                    c.send(get("/echo?n=1", "z")).read().text());
        }
        assertNoFailure();
    }

    @Test
    void readingAnExchangeKeptAfterItsAnswerWasWrittenFailsClearly() throws Exception {
        try (RawClient c = new RawClient(d.port())) {
            c.send(get("/keep", null) + get("/stale-read", null) + get("/late", null)); // pipelined: one read
            assertEquals("{\"kept\":true}", c.read().text());
            assertEquals(Map.of("read", "IllegalStateException", "path", "/stale-read", "kept", "an ended request"),
                    Map.copyOf(new com.fasterxml.jackson.databind.ObjectMapper().readValue(c.read().text(), Map.class)));
            assertEquals("{\"late\":true}", c.read().text(), "the stale answer reached no request");
        }
        assertNoFailure();
    }

    @Test
    void anExchangeAnsweredLaterOnItsConnectionOrAfterItClosedReachesOnlyItsOwnRequest() throws Exception {
        try (RawClient c = new RawClient(d.port())) {
            c.send(get("/hold", null) + get("/complete-held", null));
            assertEquals("{\"held\":\"/hold\"}", c.read().text(), "the held request's own answer, first");
            assertEquals(Map.of("completed", true, "path", "/complete-held"), Map.copyOf(
                    new com.fasterxml.jackson.databind.ObjectMapper().readValue(c.read().text(), Map.class)));
        }
        d.held = null;
        try (RawClient c = new RawClient(d.port())) {
            c.send(get("/hold", null));
            org.awaitility.Awaitility.await().until(() -> d.held != null);
        } // the client has gone; its exchange stays unanswered
        try (RawClient c = new RawClient(d.port())) { // a new connection answers the gone client's request
            assertEquals("/complete-held", new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                    c.send(get("/complete-held", null)).read().text(), Map.class).get("path"));
            assertEquals("{\"path\":\"/echo\",\"n\":\"3\",\"tag\":null,\"pad\":[]}",
                    c.send(get("/echo?n=3", null)).read().text());
        }
        assertNoFailure();
    }

    @Test
    void aClientLeavingInTheMiddleOfARequestLeavesNothingBehind() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (RawClient c = new RawClient(d.port())) {
                String whole = get("/echo?n=" + round, "left") + get("/echo?n=" + round, "left");
                c.send(whole.substring(0, whole.length() - 1 - round)); // cut at a different point each time
                if (round % 2 == 0) {
                    c.read();
                }
            }
        }
        try (RawClient c = new RawClient(d.port())) {
            assertEquals("{\"path\":\"/echo\",\"n\":\"7\",\"tag\":\"next\",\"pad\":[]}",
                    c.send(get("/echo?n=7", "next")).read().text());
            assertEquals("{\"path\":\"/echo\",\"n\":\"7\",\"tag\":null,\"pad\":[]}",
                    c.send(get("/echo?n=7", null)).read().text());
        }
        assertNoFailure();
    }

    private static void assertNoFailure() {
        assertFalse(LOGS.stream().anyMatch(l -> l.startsWith("ERROR") || l.contains("Exception")), LOGS::toString);
        assertTrue(d.port() > 0);
    }
}
