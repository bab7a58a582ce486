package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.Message;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduling rules of a pool, with fake workers and a fake clock (no processes, milliseconds). */
class SchedulerTest {

    @Test
    void requestsGoOutInTheOrderTheyCame() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        FakeExchange a = f.submit("/a");
        FakeExchange b = f.submit("/b");
        FakeExchange c = f.submit("/c");
        PoolFixture.FakeWorker w = f.worker(0);
        assertEquals(List.of(1L), w.channel().requestIds(), "one at a time with concurrency 1");
        w.answer(1, 200);
        w.answer(2, 201);
        w.answer(3, 202);
        assertEquals(List.of(1L, 2L, 3L), w.channel().requestIds());
        assertEquals(List.of(200), a.statuses);
        assertEquals(List.of(201), b.statuses);
        assertEquals(List.of(202), c.statuses);
        assertEquals(0, f.pending);
        assertEquals(3, f.responded.size());
    }

    @Test
    void concurrencyBoundsWhatOneWorkerHolds() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().concurrency(2)).started();
        f.submit("/1");
        f.submit("/2");
        f.submit("/3");
        PoolFixture.FakeWorker w = f.worker(0);
        assertEquals(List.of(1L, 2L), w.channel().requestIds());
        assertEquals(1, f.pool.status().queued());
        w.answer(2, 200);
        assertEquals(List.of(1L, 2L, 3L), w.channel().requestIds(), "a freed place takes the next request");
    }

    @Test
    void aDeferredRequestFreesItsPlaceAndKeepsItsTimeout() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().timeout(Duration.ofSeconds(5))).started();
        FakeExchange deferred = f.submit("/wait");
        f.submit("/next");
        PoolFixture.FakeWorker w = f.worker(0);
        w.channel().receive(new Message.Deferred(1));
        assertEquals(List.of(1L, 2L), w.channel().requestIds());
        f.timers.advance(5_001);
        assertEquals(List.of(504), deferred.statuses);
        assertTrue(w.channel().sent.contains(new Message.ClientGone(1)), "the worker forgets it (onDisconnect)");
    }

    @Test
    void pausedWorkersAreSkipped() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2)).started();
        f.worker(0).channel().receive(new Message.Pause(true));
        f.submit("/1");
        f.submit("/2");
        assertEquals(List.of(), f.worker(0).channel().requestIds(), "a paused worker gets nothing");
        assertEquals(List.of(1L), f.worker(1).channel().requestIds());
        f.worker(0).channel().receive(new Message.Pause(false));
        assertEquals(List.of(2L), f.worker(0).channel().requestIds(), "resumed: it takes the queued request");
    }

    @Test
    void leastBusyWorkerFirst() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2).concurrency(3)).started();
        f.submit("/1");
        f.submit("/2");
        f.submit("/3");
        int on0 = f.worker(0).channel().requestIds().size();
        int on1 = f.worker(1).channel().requestIds().size();
        assertEquals(3, on0 + on1);
        assertTrue(Math.abs(on0 - on1) <= 1, "spread: " + on0 + " and " + on1);
    }

    @Test
    void aTimeoutAnswers504AndTheLateAnswerIsDropped() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().timeout(Duration.ofSeconds(2))).started();
        FakeExchange slow = f.submit("/slow");
        FakeExchange queued = f.submit("/queued");
        f.timers.advance(2_001);
        assertEquals(List.of(504), slow.statuses);
        assertEquals(List.of(504), queued.statuses, "a request that timed out in the queue gets 504 too");
        assertTrue(f.logged("timed out after 2000 ms in the queue"), f.logs::toString);
        assertEquals(0, f.pending);
        PoolFixture.FakeWorker w = f.worker(0);
        assertEquals(List.of(1L), w.channel().requestIds(), "the worker stays busy with it until it answers");
        w.answer(1, 200);
        assertEquals(List.of(504), slow.statuses, "the late answer never reaches the client");
        assertEquals(List.of(), f.responded, "nor onResponse");
        FakeExchange after = f.submit("/after");
        assertEquals(List.of(1L, 3L), w.channel().requestIds(), "the timed-out queued request is never sent");
        w.answer(3, 200);
        assertEquals(List.of(200), after.statuses);
    }

    @Test
    void aClientThatLeavesIsForgottenAndItsWorkerTold() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        FakeExchange gone = f.submit("/gone");
        FakeExchange waiting = f.submit("/waiting");
        waiting.disconnect();
        gone.disconnect();
        PoolFixture.FakeWorker w = f.worker(0);
        assertTrue(w.channel().sent.contains(new Message.ClientGone(1)));
        assertEquals(0, f.pending);
        w.answer(1, 200);
        assertEquals(List.of(1L), w.channel().requestIds(), "the abandoned queued request is never sent");
        assertEquals(List.of(), gone.statuses);
    }

    @Test
    void keepAliveRestartsTheTimeout() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().timeout(Duration.ofSeconds(2))).started();
        FakeExchange ex = f.submit("/long");
        f.timers.advance(1_500);
        f.worker(0).channel().receive(new Message.KeepAlive(1));
        f.timers.advance(1_500);
        assertEquals(List.of(), ex.statuses, "3 s in, but kept alive at 1.5 s");
        f.timers.advance(600);
        assertEquals(List.of(504), ex.statuses);
    }

    @Test
    void streamsHaveNoTimeoutAndArePausedWhenTheClientLags() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().timeout(Duration.ofSeconds(1))).started();
        FakeExchange ex = f.submit("/events");
        FakeChannel ch = f.worker(0).channel();
        ch.receive(new Message.StreamStart(1, 200, new String[0]));
        ch.receive(new Message.Deferred(1));
        f.timers.advance(10_000);
        assertEquals(List.of(200), ex.statuses, "no 504 for a stream");
        ex.pendingOutput = 5_000;
        ch.receive(new Message.StreamChunk(1, new byte[] {1}));
        assertTrue(ch.sent.contains(new Message.StreamFlow(1, true)));
        ex.pendingOutput = 0;
        ex.onWritable.run();
        assertTrue(ch.sent.contains(new Message.StreamFlow(1, false)));
        assertEquals(1, f.pool.streams().size());
        ch.receive(new Message.StreamEnd(1));
        assertTrue(ex.streamEnded);
        assertEquals(List.of(), f.pool.streams());
        assertEquals(0, f.pending);
    }

    @Test
    void fireAndForgetWorkIsNotBoundByConcurrency() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        f.submit("/busy");
        f.pool.send("POST", "/audit", "x");
        FakeChannel ch = f.worker(0).channel();
        assertTrue(ch.sent.stream().anyMatch(m -> m instanceof Message.Request r && r.id() == -1
                && r.path().equals("/audit")));
        assertFalse(f.pool.status().workers().get(0).currentRequests().contains(-1L));
    }
}
