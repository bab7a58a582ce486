package dev.uhttp.workers.dispatcher.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The worker's request set: a LinkedHashMap by id, and its ownership rule (one set at a time). */
class PendingSetTest {

    private static Pending pending(long id) {
        return new Pending(id, null, null);
    }

    @Test
    void behavesAsAnInsertionOrderedMapOverRandomOperations() {
        Random random = new Random(21);
        PendingSet set = new PendingSet();
        Map<Long, Pending> model = new LinkedHashMap<>();
        long nextId = 1;
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 4 || model.isEmpty()) {
                // Ids as a pool makes them (a counter), now and then a far one (other pools, old ids).
                long id = random.nextInt(50) == 0 ? random.nextLong() & Long.MAX_VALUE : nextId++;
                if (model.containsKey(id)) {
                    continue;
                }
                Pending p = pending(id);
                set.add(p);
                model.put(id, p);
            } else if (op < 8) {
                List<Long> ids = new ArrayList<>(model.keySet());
                long id = random.nextInt(4) == 0 ? nextId + 7 : ids.get(random.nextInt(ids.size()));
                assertSame(model.remove(id), set.remove(id));
            } else if (op < 9) {
                long id = random.nextInt(3) == 0 ? -5 : nextId - 1 - random.nextInt(20);
                assertSame(model.get(id), set.get(id));
                assertEquals(model.containsKey(id), set.contains(id));
            } else if (random.nextInt(50) == 0) {
                long mod = 2 + random.nextInt(3);
                set.removeIf(p -> p.id % mod == 0);
                model.values().removeIf(p -> p.id % mod == 0);
            }
            assertEquals(model.size(), set.size());
            if (step % 997 == 0) {
                assertEquals(new ArrayList<>(model.values()), set.list());
                assertEquals(new ArrayList<>(model.keySet()), set.ids());
            }
        }
        set.clear();
        assertTrue(set.isEmpty());
        assertEquals(List.of(), set.list());
    }

    @Test
    void aRequestIsInOneSetAtATime() {
        PendingSet inFlight = new PendingSet();
        PendingSet deferred = new PendingSet();
        Pending p = pending(7);
        inFlight.add(p);
        assertThrows(IllegalStateException.class, () -> deferred.add(p), "held by two sets");
        assertThrows(IllegalStateException.class, () -> inFlight.add(p), "added twice");
        assertThrows(IllegalStateException.class, () -> inFlight.add(pending(7)), "two requests, one id");
        assertFalse(deferred.remove(p), "not in that set");
        assertTrue(inFlight.remove(p));
        assertFalse(inFlight.remove(p), "removed twice");
        assertNull(inFlight.remove(7));
        deferred.add(p); // moved, as a deferred answer moves it
        assertSame(p, deferred.get(7));
        assertEquals(List.of(p), deferred.list());
        assertTrue(inFlight.isEmpty());
    }

    @Test
    void removingWhileGoingThroughAListIsSafe() {
        PendingSet set = new PendingSet();
        for (long id = 1; id <= 100; id++) {
            set.add(pending(id));
        }
        for (Pending p : set.list()) {
            if (p.id % 3 != 0) {
                set.remove(p.id);
            }
        }
        assertEquals(33, set.size());
        for (Pending p : set.list()) {
            assertEquals(0, p.id % 3);
            assertSame(p, set.get(p.id));
        }
    }
}
