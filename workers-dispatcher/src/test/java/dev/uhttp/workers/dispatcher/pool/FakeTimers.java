package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.ipc.loop.Cancellable;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/** A clock that moves only when the test says so, with the loop's timers and task queue. */
final class FakeTimers implements PoolTimers {
    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private long now = 1_000_000_000L;
    private long seq;

    private final class Entry implements Comparable<Entry>, Cancellable {
        final long due;
        final long order = seq++;
        Runnable task;

        Entry(long due, Runnable task) {
            this.due = due;
            this.task = task;
        }

        @Override
        public void cancel() {
            task = null;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        Entry e = new Entry(now + delayMillis * 1_000_000L, task);
        timers.add(e);
        return e;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Timers scheduled and neither run nor cancelled. */
    int pending() {
        int n = 0;
        for (Entry e : timers) {
            if (e.task != null) {
                n++;
            }
        }
        return n;
    }

    /** Runs the queued tasks (and those they queue). */
    void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            t.run();
        }
    }

    /** Moves the clock by {@code millis}, firing every timer due on the way, in order. */
    void advance(long millis) {
        long end = now + millis * 1_000_000L;
        runTasks();
        while (!timers.isEmpty() && timers.peek().due <= end) {
            Entry e = timers.poll();
            now = Math.max(now, e.due);
            if (e.task != null) {
                e.task.run();
            }
            runTasks();
        }
        now = end;
    }
}
