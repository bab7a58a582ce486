package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.ipc.loop.Cancellable;
import dev.uhttp.workers.ipc.loop.SelectorLoop;

/**
 * Time and timers as a pool sees them: the dispatcher's loop in production, a hand-driven clock in the
 * scheduling and supervision tests.
 */
public interface PoolTimers {

    /** The current time, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Runs {@code task} on the loop thread after {@code delayMillis}. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Runs {@code task} on the loop thread soon; callable from any thread. */
    void execute(Runnable task);

    /** The timers of {@code loop}. */
    static PoolTimers of(SelectorLoop loop) {
        return new PoolTimers() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return loop.schedule(delayMillis, task);
            }

            @Override
            public void execute(Runnable task) {
                loop.execute(task);
            }
        };
    }
}
