package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.dispatcher.RecycleReason;
import dev.uhttp.workers.dispatcher.WorkerRole;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;

/**
 * One worker of a pool: its id, and its current process (which changes when a crashed one is
 * restarted in place). Loop thread only.
 *
 * <p>Its {@link WorkerRole} says what the pool does with it: an {@code ACTIVE} worker takes requests once
 * ready; a {@code SPARE} is started and ready but takes none until it is promoted; a {@code DRAINING}
 * worker takes no new requests, finishes what it holds, and is then asked to stop and leaves the pool.
 */
final class WorkerSlot {
    enum State { STARTING, READY, STOPPING, DEAD }

    final int id;
    State state = State.DEAD;
    WorkerRole role = WorkerRole.ACTIVE;
    /** Bumped at every launch so events of an old process are recognised and ignored. */
    int generation;
    Process process;
    IpcChannel channel;
    long pid = -1;
    /** Requests sent to the current process and not answered by it yet (timed-out ones included). */
    final PendingSet inFlight = new PendingSet();
    /**
     * Requests whose handler returned without answering ({@code Message.Deferred}): deferred and
     * streaming answers. They stay tied to this process but take none of its concurrency slots.
     */
    final PendingSet deferred = new PendingSet();
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
    /** Exited with the pool's permanent-failure status: never restarted. */
    boolean parked;

    // ---- the current process's life
    /** When it was launched: {@code System.nanoTime()} and wall clock. */
    long launchedNanos;
    long launchedAtMillis;
    /** Client requests it answered. */
    long served;
    /** Its recycling limits, drawn at launch (Long.MAX_VALUE: none). */
    long requestLimit = Long.MAX_VALUE;
    long ageLimitNanos = Long.MAX_VALUE;
    /** Resident memory at the last sample, or -1. */
    long residentBytes = -1;
    /** Why it will leave the pool (recycled, reload, resize), once decided; null while it stays. */
    RecycleReason retireReason;
    /** Its replacement failed to start once: it is not recycled again. */
    boolean recycleFailed;
    /** The worker started to take its place, until that one is ready. */
    WorkerSlot replacement;
    /** The reload generation it was launched for. */
    int reloadGeneration;
    /** Why the pool killed it, for the death report; null when it died by itself. */
    dev.uhttp.workers.dispatcher.WorkerDeath.Reason killReason;
    /** The requests it held when it was killed as stuck (answered then), for the death report. */
    java.util.List<dev.uhttp.workers.dispatcher.PoolRequest> stuckVictims;
    long drainDeadlineNanos;
    /** The handlers' stacks it sent last ({@code Stacks}), and when; for the stuck kill's report. */
    String lastStacks;
    long lastStacksNanos;
    /** The stuck kill waiting for its stacks, or null. */
    Runnable stuckKill;
    boolean drainStreamsEnded;

    WorkerSlot(int id, WorkerRole role) {
        this.id = id;
        this.role = role;
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

    /** Whether it holds no client request at all (in flight or deferred). */
    boolean holdsNothing() {
        return inFlight.isEmpty() && deferred.isEmpty();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Whether it takes new client requests now (with {@code concurrency} places). */
    boolean hasFreeSlot(int concurrency) {
        return role == WorkerRole.ACTIVE && state == State.READY && !paused && inFlight.size() < concurrency
                && isConnected();
    }

    /** Whether it is an active worker that is not leaving. */
    boolean isStaying() {
        return role == WorkerRole.ACTIVE && retireReason == null;
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
