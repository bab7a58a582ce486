package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One list and one timer for all of a pool's request timeouts: each fires once, at its time, never early. */
class TimeoutsTest {
    private final FakeTimers timers = new FakeTimers();
    private final List<Long> expired = new ArrayList<>();
    private final Timeouts timeouts = new Timeouts(timers, 1000, p -> expired.add(p.id));

    private static Pending pending(long id) {
        return new Pending(id, null, null);
    }

    @Test
    void eachExpiresAtItsDeadlineInOrder() {
        Pending a = pending(1);
        Pending b = pending(2);
        Pending c = pending(3);
        timeouts.start(a);
        timers.advance(300);
        timeouts.start(b);
        timeouts.start(c);
        timers.advance(699);
        assertEquals(List.of(), expired, "none before its time");
        timers.advance(1);
        assertEquals(List.of(1L), expired);
        assertFalse(timeouts.running(a));
        assertTrue(timeouts.running(b));
        timers.advance(299);
        assertEquals(List.of(1L), expired);
        timers.advance(1);
        assertEquals(List.of(1L, 2L, 3L), expired);
        timers.advance(10_000);
        assertEquals(List.of(1L, 2L, 3L), expired, "each fires once");
    }

    @Test
    void stoppedOnesNeverFireAndRestartedOnesFireAFullTimeoutLater() {
        Pending a = pending(1);
        Pending b = pending(2);
        Pending c = pending(3);
        timeouts.start(a);
        timeouts.start(b);
        timeouts.start(c);
        timeouts.stop(b);
        timeouts.stop(b); // stopping twice is harmless
        timers.advance(600);
        timeouts.start(a); // a keep-alive: from now on
        timers.advance(400);
        assertEquals(List.of(3L), expired);
        timers.advance(599);
        assertEquals(List.of(3L), expired);
        timers.advance(1);
        assertEquals(List.of(3L, 1L), expired);
        assertFalse(timeouts.running(b));
    }

    @Test
    void anExpiredOneMayStartAgainFromItsCallback() {
        List<Long> seen = new ArrayList<>();
        Timeouts[] self = new Timeouts[1];
        self[0] = new Timeouts(timers, 1000, p -> {
            seen.add(p.id);
            if (seen.size() < 3) {
                self[0].start(p); // as a body that still moves is checked again a timeout later
            }
        });
        self[0].start(pending(9));
        timers.advance(3500);
        assertEquals(List.of(9L, 9L, 9L), seen);
        timers.advance(5000);
        assertEquals(3, seen.size());
    }

    @Test
    void aRequestWhoseEndingThrowsDoesNotStopTheOthers() {
        List<Long> seen = new ArrayList<>();
        Timeouts failing = new Timeouts(timers, 1000, p -> {
            seen.add(p.id);
            if (p.id == 1) {
                throw new IllegalStateException("its answer could not be written");
            }
        });
        failing.start(pending(1));
        failing.start(pending(2));
        assertThrows(IllegalStateException.class, () -> timers.advance(1000));
        timers.advance(1);
        assertEquals(List.of(1L, 2L), seen, "the second one still expires");
        assertEquals(0, timers.pending());
    }

    @Test
    void manyRequestsShareOneTimer() {
        for (long id = 1; id <= 10_000; id++) {
            Pending p = pending(id);
            timeouts.start(p);
            if (id % 2 == 0) {
                timeouts.stop(p);
            }
        }
        assertEquals(1, timers.pending(), "one loop timer, not one per request");
        timers.advance(1000);
        assertEquals(5_000, expired.size());
    }
}
