package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
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
    /**
     * Requests whose handler returned without answering ({@code Message.Deferred}): deferred and
     * streaming answers. They stay tied to this process but take none of its concurrency slots.
     */
    final Map<Long, Pending> deferred = new LinkedHashMap<>();
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

    /** The request {@code id} this process holds, in flight or deferred, or null. */
    Pending find(long id) {
        Pending p = inFlight.get(id);
        return p != null ? p : deferred.get(id);
    }

    /** Forgets request {@code id}, in flight or deferred; returns it or null. */
    Pending remove(long id) {
        Pending p = inFlight.remove(id);
        return p != null ? p : deferred.remove(id);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    boolean hasFreeSlot(int concurrency) {
        return state == State.READY && !paused && inFlight.size() < concurrency && isConnected();
    }

    /** Whether messages can be sent to the current process. */
    boolean isConnected() {
        return channel != null && channel.isOpen();
    }

    /** Sends {@code message} to the current process if it can still receive one. */
    void sendIfConnected(Message message) {
        if (isConnected()) {
            channel.send(message);
        }
    }
}
