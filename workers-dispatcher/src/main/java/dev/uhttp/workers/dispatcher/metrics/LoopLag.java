package dev.uhttp.workers.dispatcher.metrics;

import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.util.function.BooleanSupplier;

/**
 * Measures how late the event loop runs its timers: a timer every {@value #PERIOD_MILLIS} ms notes how
 * long after its due time it ran. A loop busy with slow work (a sync handler that blocks, a large
 * static file on a slow disk) shows here, as it delays every connection.
 */
public final class LoopLag {
    static final long PERIOD_MILLIS = 100;

    private final SelectorLoop loop;
    private final DispatcherMetrics metrics;
    private final BooleanSupplier running;
    private long dueNanos;

    private LoopLag(SelectorLoop loop, DispatcherMetrics metrics, BooleanSupplier running) {
        this.loop = loop;
        this.metrics = metrics;
        this.running = running;
    }

    /** Starts measuring on {@code loop} (its thread) while {@code running} says so. */
    public static void start(SelectorLoop loop, DispatcherMetrics metrics, BooleanSupplier running) {
        new LoopLag(loop, metrics, running).next();
    }

    private void next() {
        dueNanos = System.nanoTime() + PERIOD_MILLIS * 1_000_000;
        loop.schedule(PERIOD_MILLIS, this::fired);
    }

    private void fired() {
        metrics.loopLag(System.nanoTime() - dueNanos);
        if (running.getAsBoolean()) {
            next();
        }
    }
}
