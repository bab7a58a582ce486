package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.dispatcher.Metrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a pool counts, with fake processes and a fake clock: queue waits, gauges, restarts by reason. */
class PoolMetricsTest {

    private static double value(PoolFixture f, String sample, String... labels) {
        Metrics m = f.registry.snapshot();
        String[] all = new String[labels.length + 2];
        all[0] = "pool";
        all[1] = "test";
        System.arraycopy(labels, 0, all, 2, labels.length);
        return m.value(sample, all);
    }

    @Test
    void queueWaitIsTheTimeUntilAWorkerTookTheRequest() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().concurrency(1)).started();
        f.submit("/a"); // taken at once
        f.submit("/b"); // waits for the only place
        assertEquals(1, value(f, "uhttp_queue_depth"));
        assertEquals(1, value(f, "uhttp_requests_in_flight"));
        assertEquals(1, value(f, "uhttp_workers", "state", "busy"));
        f.timers.advance(40);
        f.worker(0).answer(1, 200);
        assertEquals(2, value(f, "uhttp_queue_wait_seconds_count"));
        assertEquals(0.040, value(f, "uhttp_queue_wait_seconds_sum"), 1e-9, "0 ms and 40 ms");
        assertEquals(1, value(f, "uhttp_queue_wait_seconds_bucket", "le", "0.0005"), "the first one did not wait");
        assertEquals(1, value(f, "uhttp_queue_wait_seconds_bucket", "le", "0.025"));
        assertEquals(2, value(f, "uhttp_queue_wait_seconds_bucket", "le", "0.05"));
        assertEquals(0, value(f, "uhttp_queue_depth"));
        f.worker(0).answer(2, 200);
        assertEquals(0, value(f, "uhttp_requests_in_flight"));
        assertEquals(1, value(f, "uhttp_workers", "state", "ready"));
    }

    @Test
    void deathsAndStuckKillsAreCountedByReason() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().stuckTimeout(Duration.ofSeconds(5))).started();
        f.exit(0, 137);
        assertEquals(1, value(f, "uhttp_worker_restarts_total", "reason", "died"));
        assertEquals(1, value(f, "uhttp_workers", "state", "starting"));
        f.launch(0).ready();
        f.submit("/hang");
        f.timers.advance(7_000); // silent for longer than the stuck timeout
        assertEquals(1, value(f, "uhttp_worker_restarts_total", "reason", "stuck"));
        assertEquals(1, value(f, "uhttp_worker_restarts_total", "reason", "died"), "a stuck kill is no death");
        f.launch(0); // restarted: its process runs, not ready yet
        f.exit(0, 1); // and dies while starting
        assertEquals(1, value(f, "uhttp_worker_restarts_total", "reason", "startup_failed"));
        assertEquals(3, value(f, "uhttp_worker_restarts_total"));
    }

    @Test
    void recyclesAndReloadsAreCountedAsPlannedReplacements() {
        PoolFixture f = new PoolFixture(PoolFixture.settings().maxRequests(1)).started();
        f.submit("/a");
        f.worker(0).answer(1, 200);
        assertEquals(1, value(f, "uhttp_worker_restarts_total", "reason", "recycled_max_requests"));
        assertEquals(1, value(f, "uhttp_workers", "state", "starting"), "its replacement");
        f.launch(1).ready();
        assertEquals(1, value(f, "uhttp_workers", "state", "draining"));
        f.pool.reload();
        assertEquals(1, value(f, "uhttp_worker_restarts_total", "reason", "reload"));
        assertEquals(0, value(f, "uhttp_worker_restarts_total", "reason", "died"));
    }
}
