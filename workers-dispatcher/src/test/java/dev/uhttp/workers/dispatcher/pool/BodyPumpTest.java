package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.http.StreamedBody;
import dev.uhttp.workers.ipc.Message;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow control of streamed request bodies between a pool and its worker, with fakes (no processes). */
class BodyPumpTest {
    static final int PIECE = 64 * 1024;

    /** A body whose pieces the test makes arrive. */
    static final class FakeBody implements StreamedBody {
        final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
        boolean received;
        Runnable callback;
        int wanted;

        void arrive(int count) {
            for (int i = 0; i < count; i++) {
                pieces.add(new byte[PIECE]);
            }
            if (callback != null) {
                callback.run();
            }
        }

        void end() {
            received = true;
            if (callback != null) {
                callback.run();
            }
        }

        @Override public long length() { return -1; }
        @Override public byte[] poll() { return pieces.pollFirst(); }
        @Override public boolean isComplete() { return received && pieces.isEmpty(); }
        @Override public long queuedBytes() { return (long) pieces.size() * PIECE; }
        @Override public void onAvailable(Runnable r) { callback = r; }
        @Override public void wanted() { wanted++; }
    }

    static FakeExchange streaming(FakeBody body) {
        FakeExchange ex = new FakeExchange("/upload");
        ex.streamed = body;
        return ex;
    }

    static long sentBodyBytes(FakeChannel channel, long id) {
        return channel.sent.stream().filter(m -> m instanceof Message.BodyChunk c && c.id() == id)
                .mapToLong(m -> ((Message.BodyChunk) m).data().length).sum();
    }

    @Test
    void theWorkerGetsNoMoreThanItsWindowAheadOfWhatItConsumed() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        FakeBody body = new FakeBody();
        f.submit(streaming(body));
        FakeChannel ch = f.worker(0).channel();
        assertTrue(ch.sent.stream().anyMatch(m -> m instanceof Message.StreamedRequest s && s.id() == 1));
        assertEquals(0, body.wanted, "not wanted before the worker reads (no 100 Continue yet)");
        ch.receive(new Message.BodyCredit(1, 0));
        assertEquals(1, body.wanted, "its first credit says the worker reads: a waiting client may send");
        body.arrive(20);
        assertEquals(BodyPump.WINDOW, sentBodyBytes(ch, 1), "one window, no more");
        assertEquals(20 * PIECE - BodyPump.WINDOW, body.queuedBytes(), "the rest waits at the engine");
        ch.receive(new Message.BodyCredit(1, PIECE));
        assertEquals(BodyPump.WINDOW + PIECE, sentBodyBytes(ch, 1), "a consumed piece lets one more go");
        body.end();
        assertEquals(0, ch.count(Message.BodyEnd.class), "not the end while pieces wait for credit");
        ch.receive(new Message.BodyCredit(1, 20L * PIECE));
        assertEquals(20L * PIECE, sentBodyBytes(ch, 1));
        assertTrue(ch.sent.contains(new Message.BodyEnd(1)));
    }

    @Test
    void theTimeoutStartsWhenTheBodyIsComplete() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().timeout(Duration.ofSeconds(5))).started();
        FakeBody body = new FakeBody();
        FakeExchange ex = f.submit(streaming(body));
        body.arrive(2);
        for (int i = 0; i < 4; i++) {
            f.timers.advance(5_000);
            body.arrive(1); // the upload goes on, slowly
            f.worker(0).heartbeat(0, 1); // the worker is alive and its handler reads
        }
        assertEquals(List.of(), ex.statuses, "a body still arriving is not timed out by the pool");
        body.end();
        f.timers.advance(4_000);
        assertEquals(List.of(), ex.statuses);
        f.timers.advance(1_001);
        assertEquals(List.of(504), ex.statuses);
    }

    @Test
    void aBodyThatStopsMovingToTheWorkerTimesOut() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().timeout(Duration.ofSeconds(5))).started();
        FakeBody body = new FakeBody();
        FakeExchange ex = f.submit(streaming(body));
        body.arrive(40); // more than the window: the worker's handler never gives credit back
        f.timers.advance(5_000);
        assertEquals(List.of(), ex.statuses, "pieces moved during the first timeout");
        f.timers.advance(5_001);
        assertEquals(List.of(504), ex.statuses, "a whole timeout without a piece moving is a timeout");
    }

    @Test
    void aQueuedRequestTakesNoneOfItsBodyUntilAWorkerHasIt() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        f.submit("/busy");
        FakeBody body = new FakeBody();
        f.submit(streaming(body));
        body.arrive(3);
        FakeChannel ch = f.worker(0).channel();
        assertEquals(0, sentBodyBytes(ch, 2));
        assertEquals(3L * PIECE, body.queuedBytes(), "held at the engine (which stops reading the client)");
        f.worker(0).answer(1, 200);
        assertEquals(3L * PIECE, sentBodyBytes(ch, 2));
    }

    @Test
    void aClientGoneMidUploadTellsTheWorker() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        FakeBody body = new FakeBody();
        FakeExchange ex = f.submit(streaming(body));
        body.arrive(1);
        ex.disconnect();
        FakeChannel ch = f.worker(0).channel();
        assertTrue(ch.sent.contains(new Message.ClientGone(1)), "its stream fails and onDisconnect runs");
        body.arrive(1);
        assertEquals(PIECE, sentBodyBytes(ch, 1), "nothing more is sent for it");
    }
}
