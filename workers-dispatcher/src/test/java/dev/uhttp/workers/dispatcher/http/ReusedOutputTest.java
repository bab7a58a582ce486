package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection's reused answer buffer: owned by one queued part at a time, released once; pipelined
 * answers queued behind it (small and large, the socket full because the client reads late) come out
 * whole and in order; a client that leaves with answers queued leaves no failure behind.
 */
class ReusedOutputTest {
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(HttpLimits.builder().build());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void takenByOnePartUntilReleasedOnce() {
        ReusedOutput r = new ReusedOutput();
        assertNull(r.take(ReusedOutput.ANSWER_BYTES + 1), "too large for the buffer");
        byte[] a = r.take(10);
        assertNotNull(a);
        assertNull(r.take(10), "taken: the next answer gets arrays of its own");
        OutboundPart.Bytes part = r.part(10);
        assertEquals(10, part.buffer().remaining());
        r.release(OutboundPart.Bytes.of(new byte[3])); // another part: no effect
        assertTrue(r.taken());
        r.release(part);
        assertFalse(r.taken());
        assertThrows(IllegalStateException.class, () -> r.release(part), "released twice");
        assertArrayEquals(a, r.take(5), "the same array, taken again");
    }

    @Test
    void aFinishedQueueIsKeptOnlyIfItNeverGrewPastTheBound(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[16]);
        ReusedOutput r = new ReusedOutput();
        assertNotSame(r.takeQueue(null), r.takeQueue(null), "none spare: a new one each time");
        OutboundQueue small = filled(r, file, ReusedOutput.SPARE_QUEUE_PARTS);
        r.reuseQueue(small);
        assertSame(small, r.takeQueue(null), "within the bound: kept and taken again");
        OutboundQueue grown = filled(r, file, ReusedOutput.SPARE_QUEUE_PARTS + 1);
        r.reuseQueue(grown);
        assertNotSame(grown, r.takeQueue(null), "grown past the bound: left to the collector, a new one instead");
        OutboundQueue notEmpty = r.takeQueue(null);
        notEmpty.add(new OutboundPart.FileRegion(FileChannel.open(file), 0, 16));
        r.reuseQueue(notEmpty);
        assertNotSame(notEmpty, r.takeQueue(null), "one still holding output is not kept");
        notEmpty.discard();
    }

    /** A queue taken from {@code r} that held {@code parts} parts at once (file regions: no connection needed), emptied. */
    private static OutboundQueue filled(ReusedOutput r, Path file, int parts) throws Exception {
        OutboundQueue q = r.takeQueue(null);
        for (int i = 0; i < parts; i++) {
            q.add(new OutboundPart.FileRegion(FileChannel.open(file), 0, 16));
        }
        q.discard();
        return q;
    }

    @Test
    void pipelinedAnswersSmallAndLargeComeOutWholeAndInOrder() throws Exception {
        StringBuilder all = new StringBuilder();
        int n = 300;
        for (int i = 0; i < n; i++) {
            all.append(get(i));
        }
        try (RawClient c = new RawClient(f.port())) {
            c.send(all.toString()); // read only once all are answered: the socket fills, writes stay partial
            for (int i = 0; i < n; i++) {
                RawClient.Response r = c.read();
                assertEquals(200, r.status);
                assertEquals(query(i), r.json().get("query").asText());
            }
        }
        assertNoLoopFailure();
    }

    @Test
    void aClientLeavingWithAnswersQueuedLeavesNoFailure() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (RawClient c = new RawClient(f.port())) {
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    all.append(get(i));
                }
                c.send(all.toString());
                if (round % 2 == 0) {
                    c.read();
                }
            }
        }
        try (RawClient c = new RawClient(f.port())) {
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> c.send(get(3)).read().status == 200);
        }
        assertNoLoopFailure();
    }

    /** No handler, task or timer of the loop threw (a buffer released twice would). */
    private static void assertNoLoopFailure() {
        assertTrue(f.logs.stream().noneMatch(l -> l.startsWith("loop:") || l.startsWith("runOnce:")
                || l.contains("IllegalStateException")), () -> f.logs.toString());
    }

    /** Every third answer is over the buffer's size (a long query echoed). */
    private static String query(int i) {
        return "n=" + i + (i % 3 == 2 ? "&pad=" + "x".repeat(ReusedOutput.ANSWER_BYTES) : "");
    }

    private static String get(int i) {
        return "GET /echo?" + query(i) + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }
}
