package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.dispatcher.pool.PoolSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings are a description fixed at start: a setter afterwards fails with a message naming the way out. */
class FrozenSettingsTest {

    public static final class Idle extends Worker {
    }

    @Test
    void aPoolsSettersFailOnceItIsFixed() {
        WorkerPool pool = WorkerPool.of(Idle.class).name("items").workers(2).routes("/items/**");
        PoolSpec spec = Internals.spec(pool);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.workers(8));
        assertTrue(e.getMessage().contains("dispatcher.pool(\"items\")"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.routes("/more"));
        assertThrows(IllegalStateException.class, () -> pool.timeout(Duration.ofSeconds(1)));
        assertEquals(2, spec.workers());
        assertEquals(2, pool.workers(), "the getters still read");
    }

    @Test
    void theSpecIsACopy() {
        java.util.Map<String, Object> kwargs = new java.util.HashMap<>();
        kwargs.put("model", "a");
        WorkerPool pool = WorkerPool.of(Idle.class).kwargs(kwargs);
        PoolSpec spec = Internals.spec(pool);
        kwargs.put("model", "b");
        assertEquals("a", spec.kwargs().get("model"));
        assertThrows(UnsupportedOperationException.class, () -> spec.routes().add("/x"));
    }

    @Test
    void aDispatchersSettersFailOnceItStarted() {
        Dispatcher d = new Dispatcher().address("127.0.0.1").port(0).classDataArchives(null);
        assertThrows(IllegalStateException.class, () -> d.pool("none"), "no running pools before start");
        d.start();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.maxPending(5));
            assertTrue(e.getMessage().contains("settings are fixed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> d.pool(WorkerPool.of(Idle.class)));
            assertThrows(IllegalStateException.class, d::start, "a dispatcher runs once");
            assertTrue(d.port() > 0);
        } finally {
            d.stop();
        }
    }
}
