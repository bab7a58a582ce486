package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.ipc.Message;
import java.util.function.Consumer;

/**
 * A daemon thread that looks at the running handlers a few times per threshold and reports, with the
 * stack of the thread running it (taken from this thread: it works while the handler spins in a busy
 * loop), a handler that has run longer than the slow-request threshold ({@link Message.SlowRequest},
 * once per request: PHP-FPM's slowlog) and one that has made no progress for most of the stuck
 * timeout ({@link Message.Stacks} of every handler, once per request, so the dispatcher has them when
 * it kills the worker: gunicorn's traceback on timeout).
 *
 * <p>Its messages go straight to the channel ({@code send} is safe from any thread), not through the
 * loop: with concurrency 1 the handler runs on the loop thread, which a stuck handler holds.
 */
final class HandlerWatchdog implements Runnable {
    /** Most frames of one stack, and most characters of one stack and of a whole dump. */
    static final int MAX_FRAMES = 64;
    static final int MAX_STACK_CHARS = 16 * 1024;
    static final int MAX_DUMP_CHARS = 64 * 1024;

    private final InFlightRequests inFlight;
    private final long slowNanos;
    private final long stuckWarnNanos;
    private final long periodMillis;
    private final Consumer<Message> send;

    /**
     * @param slowMillis  0: no slow-request stacks
     * @param stuckMillis 0: no stacks before a stuck kill; else they are sent after 4/5 of it
     * @param send        sends a message to the dispatcher, from this thread
     */
    private HandlerWatchdog(InFlightRequests inFlight, long slowMillis, long stuckMillis, Consumer<Message> send) {
        this.inFlight = inFlight;
        this.slowNanos = slowMillis * 1_000_000L;
        this.stuckWarnNanos = stuckMillis * 800_000L;
        long shortest = Math.min(slowMillis > 0 ? slowMillis : Long.MAX_VALUE, stuckMillis > 0 ? stuckMillis / 5 : Long.MAX_VALUE);
        this.periodMillis = Math.max(10, Math.min(500, shortest / 4));
        this.send = send;
    }

    /** Starts watching when either threshold is set; returns whether it did. */
    static boolean start(String name, InFlightRequests inFlight, long slowMillis, long stuckMillis, Consumer<Message> send) {
        if (slowMillis <= 0 && stuckMillis <= 0) {
            return false;
        }
        Thread t = new Thread(new HandlerWatchdog(inFlight, Math.max(0, slowMillis), Math.max(0, stuckMillis), send),
                name + "-handler-watchdog");
        t.setDaemon(true);
        t.start();
        return true;
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(periodMillis);
                check(System.nanoTime());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a channel that closed: the worker is ending; keep watching until it does
            }
        }
    }

    private void check(long now) {
        boolean dump = false;
        for (InFlight f : inFlight.active()) {
            Thread t = f.thread;
            if (t == null) {
                continue;
            }
            if (slowNanos > 0 && !f.slowReported && now - f.startNanos >= slowNanos) {
                f.slowReported = true;
                send.accept(new Message.SlowRequest(f.id, f.requestId, f.method, f.path,
                        (now - f.startNanos) / 1_000_000L, stack(t.getStackTrace(), MAX_STACK_CHARS)));
            }
            if (stuckWarnNanos > 0) {
                boolean stalled = f.stalledNanos(now) >= stuckWarnNanos;
                if (stalled && !f.stacksSent) {
                    dump = true;
                }
                f.stacksSent = stalled; // progress (keepAlive) re-arms it for a later stall
            }
        }
        if (dump) {
            send.accept(new Message.Stacks(dump(inFlight, now)));
        }
    }

    /** The stacks of every thread running a handler now, each under a line naming its request. */
    static String dump(InFlightRequests inFlight, long now) {
        StringBuilder b = new StringBuilder();
        for (InFlight f : inFlight.active()) {
            Thread t = f.thread;
            if (t == null) {
                continue;
            }
            if (b.length() >= MAX_DUMP_CHARS) {
                b.append("... more handlers left out\n");
                break;
            }
            b.append('"').append(t.getName()).append("\" request ").append(f.id);
            if (!f.requestId.isEmpty()) {
                b.append(" [rid=").append(f.requestId).append(']');
            }
            b.append(' ').append(f.method).append(' ').append(f.path).append(", running ")
                    .append((now - f.startNanos) / 1_000_000L).append(" ms\n")
                    .append(stack(t.getStackTrace(), Math.min(MAX_STACK_CHARS, MAX_DUMP_CHARS - b.length() + 256)));
        }
        return b.length() == 0 ? "(no handler running)\n" : b.toString();
    }

    /** A stack as {@code Throwable.printStackTrace} writes it, at most {@link #MAX_FRAMES} frames and {@code maxChars}. */
    static String stack(StackTraceElement[] frames, int maxChars) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(frames.length, MAX_FRAMES);
        for (int i = 0; i < n; i++) {
            String line = "\tat " + frames[i] + "\n";
            if (b.length() + line.length() > maxChars) {
                n = i;
                break;
            }
            b.append(line);
        }
        if (n < frames.length) {
            b.append("\t... ").append(frames.length - n).append(" more\n");
        }
        return b.toString();
    }
}
