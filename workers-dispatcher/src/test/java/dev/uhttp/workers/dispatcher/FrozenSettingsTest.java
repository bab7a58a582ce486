package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Worker;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A pool is an immutable value; a subclass-form dispatcher's setters fail once it started, naming the way out. */
class FrozenSettingsTest {

    public static final class Idle extends Worker {
    }

    @Test
    void aPoolIsImmutableEachSettingMakesANewOne() {
        WorkerPool pool = WorkerPool.of(Idle.class).name("items").workers(2).routes("/items/**");
        WorkerPool bigger = pool.workers(8).routes("/more");
        assertEquals(2, pool.workers(), "the pool it came from is unchanged");
        assertEquals(java.util.List.of("/items/**"), pool.routes());
        assertEquals(8, bigger.workers());
        assertEquals(java.util.List.of("/items/**", "/more"), bigger.routes());
        assertThrows(UnsupportedOperationException.class, () -> pool.routes().add("/x"));
        assertEquals(2, Internals.resolved(pool).workers());
    }

    @Test
    void eachOperationSettingMakesANewPoolAndLeavesTheOldOneAsItWas() {
        WorkerPool base = WorkerPool.of(Idle.class);
        WorkerPool set = base.maxRequests(100).maxRequestsJitter(10).maxAge(Duration.ofHours(1), Duration.ofMinutes(5))
                .maxMemory(1 << 20).drainTimeout(Duration.ofSeconds(7)).spares(2).permanentFailureExitCode(3)
                .recoveryInterval(Duration.ofSeconds(9)).reloadBatch(4);
        assertEquals(java.util.List.of(100L, 10L, java.util.Optional.of(Duration.ofHours(1)), Duration.ofMinutes(5),
                        (long) (1 << 20), Duration.ofSeconds(7), 2, java.util.OptionalInt.of(3),
                        java.util.Optional.of(Duration.ofSeconds(9)), 4),
                operations(set));
        assertEquals(java.util.List.of(0L, 0L, java.util.Optional.empty(), Duration.ZERO, 0L, Duration.ofSeconds(30), 0,
                        java.util.OptionalInt.empty(), java.util.Optional.empty(), 1),
                operations(base), "the defaults, untouched by the copies made from it");
        assertEquals(operations(set), operations(set.workers(3)), "carried into later copies");
    }

    private static java.util.List<Object> operations(WorkerPool p) {
        return java.util.List.of(p.maxRequests(), p.maxRequestsJitter(), p.maxAge(), p.maxAgeJitter(), p.maxMemory(),
                p.drainTimeout(), p.spares(), p.permanentFailureExitCode(), p.recoveryInterval(), p.reloadBatch());
    }

    @Test
    void aPoolKeepsItsOwnCopyOfWhatItWasGiven() {
        java.util.Map<String, Object> kwargs = new java.util.HashMap<>();
        kwargs.put("model", "a");
        WorkerPool pool = WorkerPool.of(Idle.class).kwargs(kwargs);
        kwargs.put("model", "b");
        assertEquals("a", pool.kwargs().get("model"));
        assertThrows(UnsupportedOperationException.class, () -> pool.kwargs().put("model", "c"));
        assertThrows(UnsupportedOperationException.class, () -> pool.routes().add("/x"));
        assertThrows(UnsupportedOperationException.class, () -> pool.listeners().add("x"));
    }

    @Test
    void aRunningDispatcherIsNotChangedByItsBuilderOrPoolsChangedLater() {
        WorkerPool pool = WorkerPool.of(Idle.class).name("items").routes("/items/**");
        DispatcherBuilder builder = DispatcherConfig.builder().address("127.0.0.1").port(0).classDataArchives(null)
                .maxPending(7).maxContentLength(4096).pool(pool);
        DispatcherConfig config = builder.build();
        builder.maxPending(5).maxContentLength(1 << 20).updatePools(p -> p.workers(3).routes("/more"));
        WorkerPool derived = pool.workers(9);
        assertEquals(7, config.maxPending());
        assertEquals(4096, config.maxContentLength());
        WorkerPool held = config.pools().get(0);
        assertEquals(1, held.workers());
        assertEquals(java.util.List.of("/items/**"), held.routes());
        assertEquals(OptionalLong.of(4096), held.streamBodiesOver(), "the default, capped at maxContentLength, resolved by build()");
        assertEquals(OptionalLong.empty(), pool.streamBodiesOver(), "the pool given is not changed by build()");
        assertEquals(9, derived.workers());
        assertEquals(5, builder.build().maxPending(), "the builder goes on to make other configurations");
    }

    @Test
    void eachSettingIsReadBackWhereItIsHeld() {
        DispatcherConfig c = DispatcherConfig.builder().address("127.0.0.1").port(8081)
                .listener("admin", "127.0.0.1", 9090).shutdownTimeout(Duration.ofSeconds(3))
                .maxPending(50).classDataArchives(null).maxContentLength(5000).maxHeaders(20)
                .keepAliveTimeout(Duration.ofSeconds(7)).maxStreamBuffer(4096).metricsRoute("/metrics", "admin")
                .readinessRoute("/health/ready").lameDuck(Duration.ofSeconds(2)).nodeName("n1")
                .trustedProxies("10.0.0.0/8").pool(WorkerPool.of(Idle.class).routes("/x/**").spares(2)
                        .maxAge(Duration.ofHours(1), Duration.ofMinutes(5)).permanentFailureExitCode(3)
                        .listeners("admin")).build();
        assertEquals("127.0.0.1", c.address());
        assertEquals(8081, c.port());
        assertTrue(c.httpsPort().isEmpty());
        assertTrue(c.sslContext().isEmpty());
        assertEquals(new DispatcherConfig.Listener("admin", "127.0.0.1", 9090, null), c.listeners().get(0));
        assertEquals(Duration.ofSeconds(3), c.shutdownTimeout());
        assertEquals(50, c.maxPending());
        assertTrue(c.ipc().isEmpty());
        assertTrue(c.classDataArchives().isEmpty());
        assertEquals(5000, c.maxContentLength());
        assertEquals(20, c.maxHeaders());
        assertEquals(Duration.ofSeconds(7), c.keepAliveTimeout());
        assertEquals(4096, c.maxStreamBuffer());
        assertEquals("/metrics", c.metricsRoute().orElseThrow());
        assertEquals(java.util.List.of("admin"), c.metricsListeners());
        assertEquals("/health/ready", c.readinessRoute().orElseThrow());
        assertEquals(Duration.ofSeconds(2), c.lameDuck());
        assertEquals("n1", c.nodeName());
        assertEquals(java.util.List.of("10.0.0.0/8"), c.trustedProxies());
        WorkerPool p = c.pools().get(0);
        assertEquals(2, p.spares());
        assertEquals(Duration.ofHours(1), p.maxAge().orElseThrow());
        assertEquals(Duration.ofMinutes(5), p.maxAgeJitter());
        assertEquals(3, p.permanentFailureExitCode().getAsInt());
        assertEquals(java.util.List.of("admin"), p.listeners());
        assertEquals(OptionalLong.of(5000), p.streamBodiesOver(), "the default (64 KiB) capped at maxContentLength");
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
