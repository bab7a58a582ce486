package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The supervision rules of a pool, with fake processes and a fake clock (no JVMs, milliseconds). */
class SupervisorTest {

    @Test
    void aDeadWorkersRequestsGet502OnceAndOnlyOnce() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().concurrency(2)).started();
        FakeExchange a = f.submit("/a");
        FakeExchange b = f.submit("/b");
        PoolFixture.FakeWorker old = f.worker(0);
        old.channel().receive(new Message.Deferred(2));
        f.exit(0, 134);
        assertEquals(List.of(502), a.statuses);
        assertEquals(List.of(502), b.statuses, "deferred requests end with their worker too");
        assertEquals(0, f.pending);
        assertTrue(f.logged("died with exit code 134: restarting"), f.logs::toString);
        // Whatever the dead process still says is ignored: no second answer.
        old.answer(1, 200);
        f.exit(0, 134);
        assertEquals(List.of(502), a.statuses);
        assertEquals(2, f.spawnCount.get(0), "restarted once");
        f.launch(0).ready();
        FakeExchange c = f.submit("/c");
        f.worker(0).answer(3, 200);
        assertEquals(List.of(200), c.statuses, "the new process serves");
    }

    @Test
    void aStuckWorkerIsKilledAndRestarted() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().stuckTimeout(Duration.ofSeconds(5))).started();
        FakeExchange ex = f.submit("/hang");
        PoolFixture.FakeWorker w = f.worker(0);
        for (int s = 1; s <= 4; s++) {
            f.timers.advance(1_000);
            w.heartbeat(s * 1_000L, 1); // alive, but its handler has not moved for s seconds
        }
        assertEquals(0, w.process().killed);
        f.timers.advance(1_000);
        w.heartbeat(5_600, 1);
        f.timers.advance(1_000);
        assertEquals(List.of(502), ex.statuses, "answered at once");
        assertEquals(1, w.channel().count(Message.DumpStacks.class), "asked for its handlers' stacks");
        assertEquals(0, w.process().killed, "waits up to a second for them");
        f.timers.advance(1_000);
        assertEquals(1, w.process().killed, "no progress for over 5 s");
        assertTrue(f.logged("stuck: no progress"), f.logs::toString);
        assertTrue(f.logged("no stacks from it"), f.logs::toString);
        assertEquals(2, f.spawnCount.get(0), "restarted");
    }

    @Test
    void aStuckWorkersStacksAreLoggedWithItsKill() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().stuckTimeout(Duration.ofSeconds(5))).started();
        f.submit("/hang");
        PoolFixture.FakeWorker w = f.worker(0);
        f.timers.advance(5_600);
        assertEquals(0, w.process().killed);
        w.channel().receive(new Message.Stacks("\"h-1\" request 1 GET /hang\n\tat app.W.spin(W.java:3)\n"));
        assertEquals(1, w.process().killed, "killed as soon as the stacks came");
        assertTrue(f.logged("at app.W.spin(W.java:3)"), f.logs::toString);
    }

    @Test
    void stacksSentAheadAreUsedWithoutWaiting() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().stuckTimeout(Duration.ofSeconds(5))).started();
        f.submit("/hang");
        PoolFixture.FakeWorker w = f.worker(0);
        f.timers.advance(4_000);
        w.channel().receive(new Message.Stacks("\tat app.W.spin(W.java:3)\n")); // its watchdog, at 4/5
        f.timers.advance(2_000);
        assertEquals(1, w.process().killed);
        assertEquals(0, w.channel().count(Message.DumpStacks.class));
        assertTrue(f.logged("at app.W.spin(W.java:3)"), f.logs::toString);
    }

    @Test
    void aSlowWorkerThatMakesProgressIsNotStuck() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().stuckTimeout(Duration.ofSeconds(5))
                .timeout(Duration.ofSeconds(60))).started();
        f.submit("/long");
        PoolFixture.FakeWorker w = f.worker(0);
        for (int s = 0; s < 30; s++) {
            f.timers.advance(1_000);
            w.heartbeat(200, 1); // its handler moves (stall resets)
        }
        assertEquals(0, w.process().killed);
    }

    @Test
    void aSilentBusyWorkerIsStuck() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().stuckTimeout(Duration.ofSeconds(5))).started();
        f.submit("/hang");
        f.timers.advance(6_000); // no heartbeat at all
        f.timers.advance(1_000); // and no stacks
        assertEquals(1, f.worker(0).process().killed);
    }

    @Test
    void anIdleSilentWorkerIsNotStuck() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().stuckTimeout(Duration.ofSeconds(5))).started();
        f.timers.advance(60_000);
        assertEquals(0, f.worker(0).process().killed, "nothing in flight: nothing to be stuck on");
    }

    @Test
    void tooManyRestartsDegradeThePoolUntilTheyLeaveTheWindow() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().maxRestarts(2)
                .restartWindow(Duration.ofSeconds(10))).started();
        f.exit(0, 1);
        f.launch(0).ready();
        f.exit(0, 1);
        f.launch(0).ready();
        f.worker(0).channel().receive(new Message.Pause(true)); // keeps the next request queued
        FakeExchange queued = f.submit("/q");
        assertFalse(f.pool.status().degraded());
        f.exit(0, 1); // third death within the window: the budget is spent
        assertTrue(f.pool.status().degraded());
        assertTrue(f.logged("pool degraded: 2 restarts within 10 s"), f.logs::toString);
        assertEquals(List.of(503), queued.statuses, "queued requests are answered at once");
        assertEquals(List.of(503), f.submit("/new").statuses);
        assertEquals(3, f.spawnCount.get(0), "no restart while degraded");
        f.timers.advance(10_001);
        assertEquals(4, f.spawnCount.get(0), "restarted once the old restarts left the window");
        assertTrue(f.pool.status().degraded(), "degraded until the worker is ready");
        f.launch(0).ready();
        assertFalse(f.pool.status().degraded());
        assertTrue(f.logged("pool recovered"), f.logs::toString);
        FakeExchange ok = f.submit("/ok");
        f.worker(0).answer(f.nextId() - 1, 200);
        assertEquals(List.of(200), ok.statuses);
    }

    @Test
    void aWorkerThatIsNotReadyInTimeIsKilled() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().startupTimeout(Duration.ofSeconds(3)));
        f.pool.start();
        PoolFixture.FakeWorker w = f.launch(0);
        f.timers.advance(3_001);
        assertEquals(1, w.process().killed);
        assertEquals(2, f.spawnCount.get(0));
        assertTrue(f.logged("not ready after 3 s"), f.logs::toString);
    }

    @Test
    void aFailedLaunchIsRetriedWithinTheBudget() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().maxRestarts(1));
        f.pool.start();
        f.spawns.remove(0).failed(new IOException("no java"));
        assertTrue(f.logged("cannot launch worker 0"), f.logs::toString);
        assertEquals(2, f.spawnCount.get(0));
        f.spawns.remove(0).failed(new IOException("no java"));
        assertTrue(f.pool.status().degraded());
    }

    @Test
    void aBrokenChannelKillsItsWorker() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        PoolFixture.FakeWorker w = f.worker(0);
        w.channel().fail(new IOException("corrupt frame"));
        assertEquals(0, w.process().killed, "it may be exiting by itself");
        f.timers.advance(300);
        assertEquals(1, w.process().killed, "still running without its channel: killed");
        assertEquals(2, f.spawnCount.get(0));
        assertTrue(f.logged("failed: corrupt frame: killing it"), f.logs::toString);
    }

    @Test
    void aChannelThatClosesBecauseItsWorkerDiedIsADeath() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        PoolFixture.FakeWorker w = f.worker(0);
        w.channel().fail(new IOException("Connection reset"));
        f.exit(0, 137);
        f.timers.advance(300);
        assertEquals(0, w.process().killed);
        assertEquals(List.of("0:DIED:137:[]"), f.deaths);
    }

    @Test
    void aRestartedWorkerGetsItsInitAndTheLastConfig() {
        PoolFixture f = new PoolFixture(PoolFixture.settings()).started();
        f.pool.sendConfig(java.util.Map.of("level", 3));
        f.exit(0, 1);
        FakeChannel ch = f.launch(0).channel();
        assertTrue(ch.sent.get(0) instanceof Message.Init);
        assertEquals(new Message.Config(java.util.Map.of("level", 3)), ch.sent.get(1));
    }

    @Test
    void stopEndsSupervision() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().workers(2)).started();
        FakeExchange held = f.submit("/held");
        f.pool.failAll(503, "shutting down");
        f.pool.stop();
        assertEquals(List.of(503), held.statuses);
        assertTrue(f.worker(0).channel().sent.contains(new Message.Stop()));
        f.exit(0, 0);
        f.exit(1, 0);
        assertEquals(1, f.spawnCount.get(0), "no restart after stop");
        assertFalse(f.pool.anyAlive());
    }

    @Test
    void theRestartBudgetSlides() {
        RestartBudget budget = new RestartBudget(2, 10);
        assertTrue(budget.tryTake(0));
        assertTrue(budget.tryTake(5));
        assertFalse(budget.tryTake(9));
        assertEquals(1, budget.nanosUntilRoom(9));
        assertTrue(budget.tryTake(10), "the first left the window");
        assertEquals(2, budget.used(14));
        assertEquals(1, budget.used(15));
        RestartBudget none = new RestartBudget(0, 10);
        assertFalse(none.tryTake(0));
        assertEquals(10, none.nanosUntilRoom(0), "no budget at all: look again after a window, never spin");
    }
}
