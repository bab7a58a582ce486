package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.ipc.IpcChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/** One worker position of a pool; its process changes across restarts, its id does not. Loop thread only. */
final class WorkerSlot {
    enum State { STARTING, READY, STOPPING, DEAD }

    final int id;
    State state = State.DEAD;
    /** Bumped at every launch so events of an old process are recognised and ignored. */
    int generation;
    Process process;
    IpcChannel channel;
    long pid = -1;
    /** Requests sent to the current process and not answered by it yet (timed-out ones included). */
    final Map<Long, Pending> inFlight = new LinkedHashMap<>();
    boolean paused;
    long lastSeenNanos;
    boolean seen;
    long stalledMillis;
    /** Busy as the worker last reported (covers fire-and-forget work the dispatcher does not track). */
    boolean reportedBusy;
    int restarts;
    /** Waiting for the restart budget (the pool is degraded meanwhile). */
    boolean awaitingBudget;
    /** Relaunched after waiting for the budget and not ready yet (the pool stays degraded). */
    boolean recovering;

    WorkerSlot(int id) {
        this.id = id;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    boolean hasFreeSlot(int concurrency) {
        return state == State.READY && !paused && inFlight.size() < concurrency
                && channel != null && channel.isOpen();
    }
}
