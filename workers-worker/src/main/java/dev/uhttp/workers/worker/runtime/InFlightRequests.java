package dev.uhttp.workers.worker.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests being handled, for heartbeats and {@code keepAlive}. Each handler thread knows its
 * current request through a thread-local, so {@code Worker.keepAlive()} needs no argument.
 */
final class InFlightRequests {
    private final Set<InFlight> active = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<InFlight> current = new ThreadLocal<>();

    InFlight begin(long id) {
        return begin(id, "", "", "");
    }

    InFlight begin(long id, String requestId, String method, String path) {
        InFlight f = new InFlight(id, requestId, method, path, System.nanoTime());
        active.add(f);
        return f;
    }

    /** The requests being handled now (a live view, for the handler watchdog). */
    Iterable<InFlight> active() {
        return active;
    }

    void end(InFlight f) {
        active.remove(f);
    }

    /** Makes {@code f} the calling thread's current request (null to clear). */
    void bind(InFlight f) {
        if (f == null) {
            InFlight was = current.get();
            if (was != null) {
                was.thread = null;
            }
            current.remove();
        } else {
            f.thread = Thread.currentThread();
            current.set(f);
        }
    }

    /** The calling thread's current request, or null. */
    InFlight current() {
        return current.get();
    }

    boolean isEmpty() {
        return active.isEmpty();
    }

    /** Ids of the requests being handled, fire-and-forget work ({@code -1}) left out. */
    long[] busyIds() {
        return active.stream().mapToLong(f -> f.id).filter(id -> id >= 0).sorted().toArray();
    }

    /** The longest time, in milliseconds, any request (fire-and-forget included) went without progress. */
    long stalledMillis(long now) {
        long max = 0;
        for (InFlight f : active) {
            max = Math.max(max, f.stalledNanos(now));
        }
        return max / 1_000_000L;
    }
}
