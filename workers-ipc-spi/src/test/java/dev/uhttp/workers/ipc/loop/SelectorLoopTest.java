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
    void theLoopThreadsTasksRunLaterInTheOrderQueuedAndTheirOwnTasksInTheNextTurn() throws Exception {
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) -> { })) {
            loop.bindToCurrentThread();
            List<String> ran = new ArrayList<>();
            loop.execute(() -> {
                ran.add("a");
                loop.execute(() -> ran.add("a's own"));
            });
            loop.execute(() -> ran.add("b"));
            loop.execute(() -> ran.add("c"));
            assertEquals(List.of(), ran, "never run inside execute, even on the loop thread");
            loop.runOnce(0);
            assertEquals(List.of("a", "b", "c"), ran, "in the order queued; a task's own task waits a turn");
            loop.runOnce(0);
            assertEquals(List.of("a", "b", "c", "a's own"), ran);
        }
    }

    @Test
    void eachOtherThreadsTasksRunInTheOrderItHandedThemOver() throws Exception {
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) -> { })) {
            loop.bindToCurrentThread();
            int threads = 3;
            int each = 2_000;
            List<List<Integer>> ran = new ArrayList<>();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Integer> mine = new ArrayList<>(); // filled on the loop thread only
                ran.add(mine);
                senders.add(new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        loop.execute(() -> mine.add(n));
                    }
                }));
            }
            senders.forEach(Thread::start);
            for (Thread t : senders) {
                t.join();
            }
            while (ran.stream().mapToInt(List::size).sum() < threads * each) {
                loop.runOnce(0);
            }
            for (List<Integer> mine : ran) {
                for (int i = 0; i < each; i++) {
                    assertEquals(i, mine.get(i), "one thread's tasks in the order it handed them over");
                }
            }
        }
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
