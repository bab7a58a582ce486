package dev.uhttp.workers.ipc.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SelectorLoopTest {

    @Test
    void dueTimersRunInOrderAndCancelledOnesDoNot() throws Exception {
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) -> { })) {
            List<String> ran = new ArrayList<>();
            loop.schedule(0, () -> ran.add("a"));
            SelectorLoop.Timer cancelled = loop.schedule(0, () -> ran.add("cancelled"));
            loop.schedule(0, () -> ran.add("b"));
            cancelled.cancel();
            loop.runOnce(0);
            assertEquals(List.of("a", "b"), ran);
            assertTrue(cancelled.isCancelled());
        }
    }

    @Test
    void aCancelledTimerLetsGoOfItsTaskAndTheHeapIsPurged() throws Exception {
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) -> { })) {
            AtomicInteger runs = new AtomicInteger();
            WeakReference<Object> ref = scheduleAndCancelCapturing(loop, runs);
            for (int i = 0; i < 5000; i++) {
                loop.schedule(3_600_000, runs::incrementAndGet).cancel();
            }
            assertTrue(loop.timerCount() < 2600, "cancelled timers are purged: " + loop.timerCount());
            for (int i = 0; i < 20 && ref.get() != null; i++) {
                System.gc();
            }
            assertNull(ref.get(), "the cancelled task (and what it captured) is unreachable");
            assertEquals(0, runs.get());
        }
    }

    /** A timer whose task captures a payload; returns a weak reference to the payload. */
    private static WeakReference<Object> scheduleAndCancelCapturing(SelectorLoop loop, AtomicInteger runs) {
        byte[] payload = new byte[1024];
        loop.schedule(3_600_000, () -> runs.addAndGet(payload.length)).cancel();
        return new WeakReference<>(payload);
    }

    @Test
    void tasksFromOtherThreadsRunOnTheLoop() throws Exception {
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) -> { })) {
            loop.bindToCurrentThread();
            AtomicInteger onLoop = new AtomicInteger();
            Thread t = new Thread(() -> loop.execute(() -> {
                if (loop.inEventLoop()) {
                    onLoop.incrementAndGet();
                }
            }));
            t.start();
            t.join();
            loop.runOnce(1000);
            assertEquals(1, onLoop.get());
        }
    }
}
