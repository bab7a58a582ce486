package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.PoolStatus;
import dev.uhttp.workers.dispatcher.RecycleReason;
import dev.uhttp.workers.dispatcher.WorkerRole;
import dev.uhttp.workers.ipc.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recycling, drain, spares, resize, reload, parking: the operations rules, with fakes and a fake clock. */
class RecyclerTest {

    private static List<String> roles(PoolFixture f) {
        return f.pool.status().workers().stream().map(w -> w.id() + ":" + w.role().text()).toList();
    }

    @Test
    void maxRequestsReplacesFirstThenDrainsWithoutAnError() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().maxRequests(2)).started();
        PoolFixture.FakeWorker w0 = f.worker(0);
        FakeExchange a = f.submit("/a");
        w0.answer(1, 200);
        FakeExchange b = f.submit("/b");
        w0.answer(2, 200); // its limit: a replacement starts, w0 keeps serving meanwhile
        assertEquals(List.of("0:active", "1:active"), roles(f));
        assertEquals(RecycleReason.MAX_REQUESTS, f.pool.status().workers().get(0).recycleReason());
        FakeExchange c = f.submit("/c");
        assertEquals(List.of(1L, 2L, 3L), w0.channel().requestIds(), "the old worker serves until its replacement is ready");
        PoolFixture.FakeWorker w1 = f.launch(1);
        w1.ready();
        assertEquals(List.of("0:draining", "1:active"), roles(f));
        FakeExchange d = f.submit("/d");
        assertEquals(List.of(4L), w1.channel().requestIds(), "new requests go to the replacement");
        assertEquals(0, w0.channel().count(Message.Stop.class), "not stopped while it holds a request");
        w0.answer(3, 200);
        assertEquals(1, w0.channel().count(Message.Stop.class), "stopped once it holds nothing");
        f.exit(0, 0);
        assertEquals(List.of("1:active"), roles(f));
        w1.answer(4, 200);
        for (FakeExchange ex : List.of(a, b, c, d)) {
            assertEquals(List.of(200), ex.statuses);
        }
        assertTrue(f.deaths.isEmpty(), "a recycle is no death: " + f.deaths);
        assertTrue(f.logged("worker 0 (pid"), f.logs::toString);
        assertTrue(f.logged("is recycled (max-requests) after 2 requests"), f.logs::toString);
        assertTrue(f.logged("left the pool (max-requests)"), f.logs::toString);
    }

    @Test
    void limitsAreDrawnWithinTheJitter() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(20).maxRequests(100).maxRequestsJitter(50)
                .maxAge(Duration.ofSeconds(60), Duration.ofSeconds(30))).started();
        java.util.Set<Long> limits = new java.util.HashSet<>();
        for (WorkerSlot s : f.pool.slotsForTest()) {
            assertTrue(s.requestLimit >= 100 && s.requestLimit <= 150, "limit " + s.requestLimit);
            assertTrue(s.ageLimitNanos >= 60_000_000_000L && s.ageLimitNanos <= 90_000_000_000L);
            limits.add(s.requestLimit);
        }
        assertTrue(limits.size() > 1, "limits differ so recycles do not line up: " + limits);
    }

    @Test
    void maxAgeRecyclesAndASpareTakesOverAtOnce() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().spares(1)
                .maxAge(Duration.ofSeconds(10), Duration.ZERO)).started();
        assertEquals(List.of("0:active", "1:spare"), roles(f));
        PoolFixture.FakeWorker spare = f.worker(1);
        f.timers.advance(5_000);
        f.submit("/x");
        assertEquals(List.of(), spare.channel().requestIds(), "a spare takes no requests");
        f.worker(0).answer(1, 200);
        f.timers.advance(6_000); // both are 11 s old: each is recycled, a spare taking its place
        assertTrue(f.logged("is recycled (max-age)"), f.logs::toString);
        assertTrue(f.logged("spare worker 1 (pid"), f.logs::toString);
        FakeExchange next = f.submit("/y");
        assertEquals(List.of(2L), spare.channel().requestIds(), "the promoted spare serves at once");
        spare.answer(2, 200);
        assertEquals(List.of(200), next.statuses);
        assertTrue(roles(f).contains("2:spare"), "a new spare is started: " + roles(f));
    }

    @Test
    void maxMemoryRecyclesTheWorkerThatGrewPastIt() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2).maxMemory(100_000_000)).started();
        f.resident.put(f.worker(0).process().pid(), 50_000_000L);
        f.resident.put(f.worker(1).process().pid(), 150_000_000L);
        f.timers.advance(1_000); // a sample, then the check that sees it
        assertEquals(150_000_000L, f.pool.status().workers().get(1).residentBytes());
        assertEquals(RecycleReason.MAX_MEMORY, f.pool.status().workers().get(1).recycleReason());
        assertNull(f.pool.status().workers().get(0).recycleReason());
        assertTrue(f.logged("worker 1 (pid"), f.logs::toString);
    }

    @Test
    void aKilledWorkersPlaceIsTakenByTheSpareBeforeAnyJvmStarts() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().spares(1)).started();
        f.submit("/busy");
        FakeExchange queued = f.submit("/queued");
        f.exit(0, 137); // SIGKILL while busy
        // No launch has completed since: the queued request went to the spare.
        assertEquals(List.of(2L), f.worker(1).channel().requestIds());
        assertTrue(f.spawns.containsKey(0), "worker 0 is restarting, as the new spare");
        f.launch(0).ready();
        assertEquals(List.of("0:spare", "1:active"), roles(f));
        f.worker(1).answer(2, 200);
        assertEquals(List.of(200), queued.statuses);
        assertEquals(List.of("0:DIED:137:[1]"), f.deaths);
    }

    @Test
    void drainWaitsForDeferredRequestsAndStreamsThenEndsStreamsAtTheTimeout() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().maxRequests(1)
                .drainTimeout(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(60))).started();
        PoolFixture.FakeWorker w0 = f.worker(0);
        FakeExchange stream = f.submit("/events");
        w0.channel().receive(new Message.StreamStart(1, 200, new String[0]));
        w0.channel().receive(new Message.Deferred(1));
        FakeExchange deferred = f.submit("/later");
        w0.channel().receive(new Message.Deferred(2));
        f.submit("/now");
        w0.answer(3, 200); // the limit: replaced, then drained
        f.launch(1).ready();
        assertEquals(WorkerRole.DRAINING, f.pool.status().workers().get(0).role());
        w0.answer(2, 201); // the deferred request completes while draining
        assertEquals(List.of(201), deferred.statuses);
        f.timers.advance(4_000);
        assertEquals(0, w0.channel().count(Message.Stop.class), "the stream is still open");
        f.timers.advance(2_000); // drain timeout: the stream ends, the worker hears onDisconnect
        assertTrue(stream.streamEnded);
        assertTrue(w0.channel().sent.contains(new Message.ClientGone(1)));
        assertEquals(1, w0.channel().count(Message.Stop.class));
        assertTrue(f.removals.contains("1:DRAINED"), f.removals::toString);
        assertTrue(f.removals.contains("2:COMPLETED"), f.removals::toString);
    }

    @Test
    void resizeAddsAndRetiresTheHighestIds() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2)).started();
        f.pool.resize(4);
        f.launch(2).ready();
        f.launch(3).ready();
        assertEquals(List.of("0:active", "1:active", "2:active", "3:active"), roles(f));
        f.submit("/held");
        long holder = f.workers.values().stream().filter(w -> !w.channel().requestIds().isEmpty()).findFirst()
                .orElseThrow().id();
        f.pool.resize(1);
        for (int id = 1; id <= 3; id++) {
            assertEquals(WorkerRole.DRAINING, f.pool.status().workers().get(id).role());
        }
        for (int id = 1; id <= 3; id++) {
            if (id != holder) {
                f.exit(id, 0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> f.pool.resize(0));
        assertEquals(holder == 0 ? List.of("0:active") : List.of("0:active", holder + ":draining"), roles(f));
    }

    @Test
    void reloadReplacesEveryWorkerOneAtATime() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2).spares(1)).started();
        f.pool.reload();
        assertTrue(f.pool.status().reloading());
        assertEquals(1, f.spawns.size(), "one at a time");
        for (int i = 0; i < 3; i++) {
            int next = f.spawns.keySet().iterator().next();
            f.launch(next).ready();
            for (PoolStatus.WorkerStatus w : f.pool.status().workers()) {
                if (w.role() == WorkerRole.DRAINING) {
                    f.exit(w.id(), 0);
                }
            }
        }
        assertFalse(f.pool.status().reloading());
        assertTrue(f.pool.status().workers().stream().allMatch(w -> w.generation() == 1), f.pool.status()::toString);
        assertEquals(3, f.pool.status().workers().size());
        assertTrue(f.logged("reloaded: every worker replaced"), f.logs::toString);
    }

    @Test
    void aReplacementThatFailsStopsTheReloadAndTheOldWorkersServe() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2)).started();
        f.pool.reload();
        int replacement = f.spawns.keySet().iterator().next();
        f.launch(replacement);
        f.exit(replacement, 3); // setup() failed
        assertFalse(f.pool.status().reloading());
        assertTrue(f.logged("reload of pool test stopped"), f.logs::toString);
        assertEquals(List.of("0:active", "1:active"), roles(f));
        assertNull(f.pool.status().workers().get(0).recycleReason());
        FakeExchange ok = f.submit("/ok");
        f.worker(0).answer(1, 200);
        assertEquals(List.of(200), ok.statuses);
    }

    @Test
    void aPermanentFailureParksTheWorkerAndAllParkedMeans503WithRetryAfter() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2).permanentFailureExitCode(78)).started();
        f.exit(0, 78);
        assertEquals(1, f.spawnCount.get(0), "parked: not restarted");
        assertTrue(f.pool.status().workers().get(0).parked());
        assertFalse(f.pool.status().degraded(), "worker 1 still serves");
        f.exit(1, 78);
        assertTrue(f.pool.status().degraded());
        assertTrue(f.logged("degraded for good"), f.logs::toString);
        assertEquals(List.of(503), f.submit("/x").statuses);
        assertEquals(List.of("0:PARKED:78:[]", "1:PARKED:78:[]"), f.deaths);
    }

    @Test
    void aPermanentFailureStatusParksTheWorkerEvenWhenItsClosedChannelGotItKilled() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(1).permanentFailureExitCode(78)).started();
        // Under load a worker exiting with 78 closes its channel, is still alive after the channel's grace
        // period and is killed, but its status is its own 78: parked, not restarted.
        f.worker(0).process().endingWith(78);
        f.worker(0).channel().fail(new IOException("closed"));
        f.timers.advance(1_000);
        assertEquals(1, f.worker(0).process().killed);
        assertEquals(List.of("0:PARKED:78:[]"), f.deaths);
        assertEquals(1, f.spawnCount.get(0), "parked: not restarted");
        assertTrue(f.pool.status().workers().get(0).parked());
        // A real kill's status (128 + signal) stays a channel failure, restarted as before.
        PoolFixture g = new PoolFixture(PoolFixture.settings().workers(1).permanentFailureExitCode(78)).started();
        g.worker(0).channel().fail(new IOException("closed"));
        g.timers.advance(1_000);
        assertEquals(List.of("0:CHANNEL_FAILED:137:[]"), g.deaths);
        assertEquals(2, g.spawnCount.get(0));
    }

    @Test
    void aRecoveryIntervalDecidesWhenADegradedPoolTriesAgain() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().maxRestarts(0)
                .restartWindow(Duration.ofSeconds(300)).recoveryInterval(Duration.ofSeconds(2))).started();
        f.exit(0, 1);
        assertTrue(f.pool.status().degraded());
        f.timers.advance(1_900);
        assertEquals(1, f.spawnCount.get(0));
        f.timers.advance(200);
        assertEquals(2, f.spawnCount.get(0), "tried again after the recovery interval, not the window");
        f.launch(0).ready();
        assertFalse(f.pool.status().degraded());
    }

    @Test
    void everyRequestIsRemovedExactlyOnceWithItsReason() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(1).concurrency(4)
                .timeout(Duration.ofSeconds(5))).started();
        PoolFixture.FakeWorker w = f.worker(0);
        f.submit("/done");
        w.answer(1, 200);
        f.submit("/gone").disconnect();
        f.submit("/stream");
        w.channel().receive(new Message.StreamStart(3, 200, new String[0]));
        w.channel().receive(new Message.StreamEnd(3));
        f.submit("/slow");
        f.timers.advance(5_001);
        w.answer(4, 200); // late: already removed
        f.submit("/victim");
        f.exit(0, 9);
        f.launch(0).ready();
        f.submit("/shutdown");
        f.pool.failAll(503, "shutting down");
        assertEquals(List.of("1:COMPLETED", "2:DISCONNECTED", "3:STREAM_CLOSED", "4:TIMEOUT", "5:WORKER_DIED",
                "6:SHUTDOWN"), f.removals);
        assertEquals(0, f.pending);
    }
}
