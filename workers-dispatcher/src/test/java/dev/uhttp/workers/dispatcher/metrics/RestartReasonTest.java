package dev.uhttp.workers.dispatcher.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.uhttp.workers.dispatcher.RecycleReason;
import dev.uhttp.workers.dispatcher.WorkerDeath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every death and every recycle reason, as the restart counted for it (the {@code reason} label). */
class RestartReasonTest {

    @Test
    void eachDeathCountsItsRestart() {
        Map<WorkerDeath.Reason, RestartReason> running = Map.of(
                WorkerDeath.Reason.DIED, RestartReason.DIED,
                WorkerDeath.Reason.STUCK, RestartReason.STUCK,
                WorkerDeath.Reason.STARTUP_TIMEOUT, RestartReason.STARTUP_FAILED,
                WorkerDeath.Reason.CHANNEL_FAILED, RestartReason.CHANNEL_FAILED,
                WorkerDeath.Reason.PARKED, RestartReason.PARKED);
        assertEquals(WorkerDeath.Reason.values().length, running.size(), "every death reason is mapped here");
        running.forEach((death, restart) -> assertEquals(restart, RestartReason.ofDeath(death, false), death.name()));
        // A worker that dies while starting failed its startup; the other reasons say more.
        assertEquals(RestartReason.STARTUP_FAILED, RestartReason.ofDeath(WorkerDeath.Reason.DIED, true));
        assertEquals(RestartReason.STUCK, RestartReason.ofDeath(WorkerDeath.Reason.STUCK, true));
        assertEquals(RestartReason.PARKED, RestartReason.ofDeath(WorkerDeath.Reason.PARKED, true));
    }

    @Test
    void eachRecycleCountsItsRestartOrNone() {
        assertEquals(RestartReason.RECYCLED_MAX_REQUESTS, RestartReason.ofRecycle(RecycleReason.MAX_REQUESTS));
        assertEquals(RestartReason.RECYCLED_MAX_AGE, RestartReason.ofRecycle(RecycleReason.MAX_AGE));
        assertEquals(RestartReason.RECYCLED_MAX_MEMORY, RestartReason.ofRecycle(RecycleReason.MAX_MEMORY));
        assertEquals(RestartReason.RELOAD, RestartReason.ofRecycle(RecycleReason.RELOAD));
        assertNull(RestartReason.ofRecycle(RecycleReason.RESIZE), "a resize replaces no worker");
        assertNull(RestartReason.ofRecycle(RecycleReason.RETIRED));
    }

    @Test
    void labelsAreTheLowerCaseNames() {
        assertEquals("recycled_max_requests", RestartReason.RECYCLED_MAX_REQUESTS.label);
        assertEquals("startup_failed", RestartReason.STARTUP_FAILED.label);
    }
}
