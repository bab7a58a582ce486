package dev.uhttp.workers.dispatcher.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.PoolStatus;
import dev.uhttp.workers.dispatcher.WorkerRole;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readiness rule and the lame duck, on a clock the test moves. */
class ReadinessTest {
    private static final long MS = 1_000_000;

    private static PoolStatus.WorkerStatus worker(boolean ready, WorkerRole role) {
        return new PoolStatus.WorkerStatus(1, 10, true, ready, false, 0, List.of(), 0, role, false, null, 0, 0, 0, -1);
    }

    private static PoolStatus pool(boolean degraded, PoolStatus.WorkerStatus... workers) {
        return new PoolStatus("p", degraded, 0, 0, false, List.of(workers));
    }

    @Test
    void readyWhenRunningAndEveryPoolHasAReadyActiveWorker() {
        Readiness r = new Readiness(Duration.ZERO);
        assertEquals(200, r.verdict(0, true, List.of(pool(false, worker(true, WorkerRole.ACTIVE)))).status());
        assertEquals(200, r.verdict(0, true, List.of()).status(), "no pools: the dispatcher serves alone");
        assertEquals(503, r.verdict(0, true, List.of(pool(false, worker(false, WorkerRole.ACTIVE)))).status());
        assertEquals(503, r.verdict(0, true, List.of(pool(false, worker(true, WorkerRole.SPARE)))).status(),
                "a spare takes no requests");
        assertEquals(503, r.verdict(0, true, List.of(pool(true, worker(true, WorkerRole.ACTIVE)))).status());
        assertEquals(503, r.verdict(0, true, List.of(pool(false, worker(true, WorkerRole.ACTIVE)), pool(false))).status(),
                "every pool, not any");
        assertEquals(503, r.verdict(0, false, List.of(pool(false, worker(true, WorkerRole.ACTIVE)))).status());
    }

    @Test
    void withoutALameDuckTheShutdownBeginsAtOnce() {
        Readiness r = new Readiness(Duration.ZERO);
        assertTrue(r.terminate(5 * MS));
        assertFalse(r.inLameDuck());
    }

    @Test
    void theLameDuckSays503ForItsPeriodThenTheShutdownIsDue() {
        Readiness r = new Readiness(Duration.ofMillis(3000));
        List<PoolStatus> ready = List.of(pool(false, worker(true, WorkerRole.ACTIVE)));
        long t0 = 1_000 * MS;
        assertEquals(200, r.verdict(t0, true, ready).status());
        assertFalse(r.terminate(t0), "SIGTERM starts the lame duck, not the shutdown");
        assertTrue(r.inLameDuck());
        Readiness.Verdict v = r.verdict(t0 + 1000 * MS, true, ready);
        assertEquals(503, v.status());
        assertTrue(v.reason().contains("2000 ms"), v.reason());
        assertEquals(3000, r.lameDuckLeftMillis(t0));
        assertEquals(1, r.lameDuckLeftMillis(t0 + 2999 * MS + 1));
        assertEquals(0, r.lameDuckLeftMillis(t0 + 3000 * MS));
        assertEquals(0, r.lameDuckLeftMillis(t0 + 9000 * MS));
        assertTrue(r.terminate(t0 + 10 * MS), "a second SIGTERM ends the lame duck at once");
    }
}
