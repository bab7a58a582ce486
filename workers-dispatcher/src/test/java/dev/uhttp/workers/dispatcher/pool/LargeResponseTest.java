package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A large worker answer crossing the pool in pieces under credit, with fakes (no processes). */
class LargeResponseTest {
    static final int PIECE = 64 * 1024;

    static long credits(FakeChannel ch) {
        return ch.sent.stream().filter(m -> m instanceof Message.ResponseCredit).count();
    }

    @Test
    void piecesAreCreditedInBatchesAsTheClientReadsThemAndTheWorkerIsFreeAtOnce() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        FakeExchange ex = f.submit("/big");
        f.submit("/next");
        FakeChannel ch = f.worker(0).channel();
        ch.receive(new Message.ResponseStart(1, 200, new String[0], 12L * PIECE));
        assertEquals(List.of(200), ex.statuses);
        assertEquals(List.of(1L, 2L), ch.requestIds(), "the worker takes its next request at once");

        for (int i = 0; i < 3; i++) {
            ch.receive(new Message.StreamChunk(1, new byte[PIECE]));
        }
        assertEquals(0, credits(ch), "credit goes back per 256 KiB, not per piece");
        ch.receive(new Message.StreamChunk(1, new byte[PIECE]));
        assertTrue(ch.sent.contains(new Message.ResponseCredit(1, 4L * PIECE)), "the client keeps up: credited");
        ex.pendingOutput = 10 << 20; // the client stopped reading
        for (int i = 0; i < 4; i++) {
            ch.receive(new Message.StreamChunk(1, new byte[PIECE]));
        }
        assertEquals(1, credits(ch), "no credit while the client's output is over the pause mark");
        ch.receive(new Message.StreamChunk(1, new byte[PIECE]));
        ex.pendingOutput = 0;
        ex.onWritable.run(); // read down: all that is owed, even past a batch
        assertTrue(ch.sent.contains(new Message.ResponseCredit(1, 5L * PIECE)), ch.sent.toString());

        for (int i = 0; i < 3; i++) {
            ch.receive(new Message.StreamChunk(1, new byte[PIECE]));
        }
        ch.receive(new Message.StreamEnd(1));
        assertEquals(12, ex.chunks.size());
        assertTrue(ex.streamEnded);
        assertTrue(f.removals.stream().anyMatch(r -> r.contains("COMPLETED")), f.removals.toString());
    }

    @Test
    void aHeadRequestEndsAtTheHeadAndTheWorkerStopsSending() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        FakeExchange ex = f.submit("/big");
        ex.method = "HEAD";
        FakeChannel ch = f.worker(0).channel();
        ch.receive(new Message.ResponseStart(1, 200, new String[0], 4L * PIECE));
        assertTrue(ch.sent.contains(new Message.ClientGone(1)));
        ch.receive(new Message.StreamChunk(1, new byte[PIECE]));
        assertEquals(0, ex.chunks.size());
    }
}
