package dev.uhttp.workers.ipc.loop;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.ipc.EventLoop;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A single-threaded {@link Selector} loop with a task queue and timers; the one loop implementation
 * the dispatcher and the worker runtime share. The owner calls {@link #runOnce} in its own loop, so it
 * can add its own per-turn work.
 */
public final class SelectorLoop implements EventLoop, AutoCloseable {
    /** The logger name of the loop's records. */
    public static final String LOGGER = "loop";

    /**
     * A scheduled task. {@link #cancel()} is O(1): the entry stays in the heap until it comes due or the
     * heap is purged, but it lets go of its task at once, so a cancelled timeout does not keep a
     * request (its body, its connection) reachable.
     */
    public final class Timer implements Comparable<Timer>, Cancellable {
        private final long deadline;
        private final long seq;
        private Runnable task;

        private Timer(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        /** Loop thread only. */
        @Override
        public void cancel() {
            if (task != null) {
                task = null;
                cancelledTimers++;
                purgeIfMostlyCancelled();
            }
        }

        /** Whether it was cancelled or has run (it holds no task any more). */
        public boolean isCancelled() {
            return task == null;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Tasks the loop thread queues for itself: no queue node per task (a write flushed at the end of the turn). */
    private final java.util.ArrayDeque<Runnable> loopTasks = new java.util.ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final AtomicBoolean wakeupNeeded = new AtomicBoolean();
    private final LogSink log;
    private volatile Thread thread;
    private long timerSeq;
    private int cancelledTimers;

    /**
     * @param log told (ERROR, logger {@value #LOGGER}, the exception last) about exceptions thrown by
     *            handlers, tasks and timers; the loop goes on
     */
    public SelectorLoop(LogSink log) throws IOException {
        this.selector = Selector.open();
        this.log = log;
    }

    /** The loop's selector (channels register with it through {@link #register}). */
    public Selector selector() {
        return selector;
    }

    /** Makes the calling thread the loop thread (done by the first {@link #runOnce} too). */
    public void bindToCurrentThread() {
        thread = Thread.currentThread();
    }

    @Override
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, handler);
    }

    /**
     * Runs {@code task} on the loop thread, once, in a later turn's task phase (after that turn's ready
     * channels and due timers); callable from any thread.
     *
     * <p><b>Order.</b> Tasks handed over by one thread run in the order that thread handed them over,
     * whichever thread it is (a queue per source: the loop thread's own, and one shared by all others,
     * both first in, first out). Nothing is promised between tasks of different threads (today, within a
     * turn, the loop thread's own tasks run first). A task never runs
     * inside {@code execute}, even on the loop thread: the caller finishes first (what a handler queues
     * for the end of its turn, e.g. a flush, sees everything the handler did). A task a task queues runs
     * in the next turn, after the tasks queued before it, so tasks that queue tasks cannot starve the
     * channels. Pinned by {@code SelectorLoopTest}.
     */
    @Override
    public void execute(Runnable task) {
        if (inEventLoop()) {
            loopTasks.addLast(task);
            return;
        }
        tasks.add(task);
        if (wakeupNeeded.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} after {@code delayMillis}; loop thread only. */
    public Timer schedule(long delayMillis, Runnable task) {
        Timer t = new Timer(System.nanoTime() + Math.max(0, delayMillis) * 1_000_000L, timerSeq++, task);
        timers.add(t);
        return t;
    }

    /** Rebuilds the heap when most of it is cancelled timers (many short requests with long timeouts). */
    private void purgeIfMostlyCancelled() {
        if (cancelledTimers > 1024 && cancelledTimers > timers.size() / 2) {
            timers.removeIf(Timer::isCancelled);
            cancelledTimers = 0;
        }
    }

    /** Timers scheduled and not yet run, cancelled ones included until purged (for tests and monitoring). */
    public int timerCount() {
        return timers.size();
    }

    /** Wakes a {@link #runOnce} that is waiting; callable from any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    private final java.util.function.Consumer<SelectionKey> onReady = this::ready;

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        IoHandler handler = (IoHandler) key.attachment();
        try {
            handler.ready(key);
        } catch (CancelledKeyException e) {
            // the handler closed its channel while handling it
        } catch (IOException | RuntimeException e) {
            key.cancel();
            closeQuietly(key.channel());
            log.log(LogLevel.ERROR, LOGGER, "I/O handler failed: {}", e, e);
        }
    }

    /**
     * One turn: waits up to {@code maxWaitMillis} (less when a timer or task is due), handles ready
     * channels, then due timers and queued tasks.
     *
     * @return the number of channels that were ready
     */
    public int runOnce(long maxWaitMillis) throws IOException {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        long wait = maxWaitMillis;
        Timer next = timers.peek();
        if (next != null) {
            long untilNext = Math.max(0, (next.deadline - System.nanoTime() + 999_999) / 1_000_000);
            wait = Math.min(wait, untilNext);
        }
        // The Consumer forms hand each ready key over directly: no selected-key set to fill and empty
        // (a HashMap node per ready channel and turn, and an iterator).
        int ready;
        if (!tasks.isEmpty() || !loopTasks.isEmpty() || wait <= 0) {
            ready = selector.selectNow(onReady);
        } else {
            ready = selector.select(onReady, wait);
        }
        wakeupNeeded.set(false);
        runTimers();
        runTasks();
        return ready;
    }

    private void runTimers() {
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            Runnable task = t.task;
            if (task == null) {
                cancelledTimers--;
            } else {
                t.task = null;
                run(task, "timer");
            }
        }
    }

    private void runTasks() {
        // Bounded so that tasks that queue tasks cannot starve the selector.
        for (int n = loopTasks.size(); n > 0; n--) {
            run(loopTasks.pollFirst(), "task");
        }
        for (int n = tasks.size(); n > 0; n--) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            run(task, "task");
        }
    }

    private void run(Runnable task, String what) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.log(LogLevel.ERROR, LOGGER, "{} failed: {}", what, e, e);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        try {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            selector.close();
        } catch (IOException | ClosedSelectorException ignored) {
            // closing anyway
        }
    }
}
