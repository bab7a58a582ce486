package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The pool leg skips the copies and objects it would make for {@code onResponse} and
 * {@code onRequestRemoved} only while those hooks are the defaults: a dispatcher subclass that
 * overrides the method (itself or through a superclass), or a builder given the hook, gets every call.
 * (OperationsTest and DispatcherTest see the calls arrive with real workers.)
 */
class UnusedHooksTest {

    static class Plain extends Dispatcher {
    }

    static class Overrides extends Dispatcher {
        @Override
        protected void onResponse(WorkerResponse response, PoolRequest request) {
        }

        @Override
        protected void onRequestRemoved(PoolRequest request, RemovalReason reason) {
        }
    }

    static class Inherits extends Overrides {
    }

    static class RemovalsOnly extends Dispatcher {
        @Override
        protected void onRequestRemoved(PoolRequest request, RemovalReason reason) {
        }
    }

    private static HookCalls calls(Dispatcher d) {
        return new HookCalls(d.port(0).address("127.0.0.1").pool(pool()).config(), null);
    }

    private static WorkerPool pool() {
        return WorkerPool.of(FrozenSettingsTest.Idle.class).name("a").routes("/a/**");
    }

    @Test
    void aSubclassWithoutTheMethodsWantsNeither() {
        HookCalls h = calls(new Plain());
        assertFalse(h.wantsResponses());
        assertFalse(h.wantsRemovals());
    }

    @Test
    void aSubclassOverridingThemWantsBothAlsoThroughASuperclass() {
        for (Dispatcher d : new Dispatcher[] {new Overrides(), new Inherits()}) {
            HookCalls h = calls(d);
            assertTrue(h.wantsResponses(), d.getClass().getSimpleName());
            assertTrue(h.wantsRemovals(), d.getClass().getSimpleName());
        }
        HookCalls removals = calls(new RemovalsOnly());
        assertFalse(removals.wantsResponses());
        assertTrue(removals.wantsRemovals());
    }

    @Test
    void aBuilderGivenTheHooksWantsThem() {
        DispatcherBuilder b = DispatcherConfig.builder().address("127.0.0.1").port(0).classDataArchives(null).pool(pool());
        HookCalls none = new HookCalls(b.build(), null);
        assertFalse(none.wantsResponses());
        assertFalse(none.wantsRemovals());
        HookCalls both = new HookCalls(b.onResponse((response, request) -> { })
                .onRequestRemoved((request, reason) -> { }).build(), null);
        assertTrue(both.wantsResponses());
        assertTrue(both.wantsRemovals());
    }
}
