package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.JsonErrors;
import dev.uhttp.workers.dispatcher.http.StreamedBody;
import dev.uhttp.workers.ipc.Message;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool's requests: the queue, the choice of a worker with a free slot, timeouts, fire-and-forget work,
 * and the rule that every request ends exactly once (answered by its worker, timed out, failed, or
 * abandoned by its client). Loop thread only.
 *
 * <p>A slot's in-flight set counts against {@code concurrency}; a request whose handler returned
 * without answering ({@code Deferred}) moves to the slot's deferred set and frees that place. A
 * timed-out or abandoned request stays in flight until its worker answers or defers it: the worker is
 * still busy with it, and its late answer is dropped.
 */
final class Scheduler {
    private final WorkerPool spec;
    private final List<WorkerSlot> slots;
    private final PoolHandle handle;
    private final PoolTimers timers;
    private final PoolContext context;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ArrayDeque<Message.Request> fireAndForget = new ArrayDeque<>();
    private final long timeoutMillis;
    private final Timeouts timeouts;
    private int pendingCount;
    private int nextSlot;
    private boolean queueWarned;
    /** {@link #hostOf}: the last client address and its text. */
    private java.net.InetAddress lastClientAddress;
    private String lastClientHost;

    Scheduler(WorkerPool spec, List<WorkerSlot> slots, PoolHandle handle, PoolTimers timers, PoolContext context) {
        this.spec = spec;
        this.slots = slots;
        this.handle = handle;
        this.timers = timers;
        this.context = context;
        this.timeoutMillis = spec.timeout().toMillis();
        this.timeouts = new Timeouts(timers, timeoutMillis, this::timedOut);
    }

    /** Queues a client request and sends it on if a worker has a free slot. */
    void submit(Pending p) {
        pendingCount++;
        context.pendingChanged(+1);
        p.queuedNanos = timers.nanoTime();
        p.scheduler = this;
        timeouts.start(p);
        p.exchange.onClose(p); // clientGone(p)
        queue.addLast(p);
        int threshold = spec.queueWarning();
        if (threshold > 0 && queue.size() > threshold && !queueWarned) {
            queueWarned = true;
            context.log(LogLevel.WARNING, spec.name(), "queue holds {} requests (warning threshold {})",
                    queue.size(), threshold);
        } else if (queue.size() <= threshold / 2) {
            queueWarned = false;
        }
        dispatchQueued();
    }

    /** Queues fire-and-forget work (no client, no timeout, no concurrency limit). */
    void submit(Message.Request work) {
        fireAndForget.addLast(work);
        dispatchQueued();
    }

    /** Sends queued work to workers with a free slot, least busy first. */
    void dispatchQueued() {
        while (!fireAndForget.isEmpty()) {
            WorkerSlot slot = pickWorker(Integer.MAX_VALUE);
            if (slot == null) {
                break;
            }
            Message.Request work = fireAndForget.pollFirst();
            try {
                slot.channel.send(work);
            } catch (IllegalArgumentException e) {
                // Over the frame limit (a channel refuses what it cannot encode and stays open).
                context.log(LogLevel.ERROR, spec.name(), "fire-and-forget {} {} dropped: {}", work.method(),
                        work.path(), e.getMessage());
            }
        }
        while (!queue.isEmpty()) {
            Pending head = queue.peekFirst();
            if (head.done) {
                queue.pollFirst();
                continue;
            }
            WorkerSlot slot = pickWorker(spec.concurrency());
            if (slot == null) {
                return;
            }
            queue.pollFirst();
            send(slot, head);
        }
    }

    private void send(WorkerSlot slot, Pending p) {
        HttpExchange ex = p.exchange;
        ((PoolRuntime) handle).metrics.queueWait(timers.nanoTime() - p.queuedNanos);
        ex.worker(slot.id);
        p.slot = slot;
        slot.inFlight.add(p);
        // The client as trusted proxies reported it, not necessarily the connection's peer.
        InetSocketAddress remote = p.client.remoteAddress();
        try {
            StreamedBody streamed = ex.streamedBody();
            if (streamed == null) {
                // Packed straight from the exchange: no Message.Request, no request id string.
                slot.channel.sendRequest(p.id, ex.method(), ex.path(), ex.query(), ex.headers(), ex.body(),
                        hostOf(remote), remote.getPort(), p.client.isSecure(), p.context(), ex.requestIdText());
            } else {
                Message.Request request = new Message.Request(p.id, ex.method(), ex.path(), ex.query(), ex.headers(),
                        ex.body(), hostOf(remote), remote.getPort(), p.client.isSecure(), p.context(), ex.requestId());
                slot.channel.send(new Message.StreamedRequest(request, streamed.length(), context.bufferedBodyLimit()));
                p.body(new BodyPump(p, streamed, slot, () -> bodySent(p)));
                p.body().start();
            }
        } catch (IllegalArgumentException e) {
            // Cannot happen within maxContentLength (the frame limit is above it); answer, never stall.
            slot.inFlight.remove(p.id);
            context.log(LogLevel.ERROR, spec.name(), "request {} cannot be sent to a worker: {}", p.id, e.getMessage());
            fail(p, 413, "Request too large for the worker channel", RemovalReason.REJECTED);
        }
    }

    /**
     * The client's address as text: the last one's is reused, since {@code getHostAddress} builds a new
     * string per call (IPv4 only: an IPv6 address equal to another may differ in its scope).
     */
    private String hostOf(InetSocketAddress remote) {
        java.net.InetAddress a = remote.getAddress();
        if (a == null) {
            return remote.getHostString();
        }
        if (!(a instanceof java.net.Inet4Address) || !a.equals(lastClientAddress)) {
            lastClientAddress = a;
            lastClientHost = a.getHostAddress();
        }
        return lastClientHost;
    }

    /** The ready, unpaused worker with a free place and the fewest requests, round robin among equals. */
    private WorkerSlot pickWorker(int concurrency) {
        WorkerSlot best = null;
        int bestIndex = 0;
        int n = slots.size();
        for (int i = 0; i < n; i++) {
            int index = (nextSlot + i) % n;
            WorkerSlot s = slots.get(index);
            if (s.hasFreeSlot(concurrency) && (best == null || s.inFlight.size() < best.inFlight.size())) {
                best = s;
                bestIndex = index;
            }
        }
        if (best != null) {
            nextSlot = (bestIndex + 1) % n;
        }
        return best;
    }

    // ------------------------------------------------------------------ ending requests

    /**
     * The whole streamed body of {@code p} went to its worker: its timeout starts now (while the body
     * arrived, the connection's read timeout and the worker's stuck detection guarded it).
     */
    private void bodySent(Pending p) {
        if (!p.done && !p.streaming) {
            timeouts.start(p);
        }
    }

    private void timedOut(Pending p) {
        if (p.done || p.streaming) {
            return;
        }
        BodyPump body = p.body();
        if (p.slot != null && body != null && !body.ended() && body.sent() != p.bodySentAtTimeout()) {
            // Its body still moves to the worker: bodySent starts the timeout afresh once it is complete.
            // Checked again a timeout later: a body that stops moving (a handler, deferred or not, that no
            // longer reads it) then times out like any request.
            p.bodySentAtTimeout(body.sent());
            timeouts.start(p);
            return;
        }
        context.log(LogLevel.WARNING, spec.name(), "request {} {} {} timed out after {} ms{}", p.id,
                p.exchange.method(), p.exchange.path(), timeoutMillis,
                p.slot == null ? " in the queue" : " on worker " + p.slot.id);
        // A worker still holds it: its slot stays busy until it answers (the answer is then dropped).
        fail(p, 504, "Gateway timeout", RemovalReason.TIMEOUT);
        if (p.slot == null) {
            queue.remove(p); // O(queue), on a timeout only; keeps the queue to live requests
        }
        forgetDeferred(p);
    }

    /** The client of {@code p} went away ({@link Pending#run}). */
    void clientGone(Pending p) {
        if (p.done) {
            return;
        }
        finish(p, RemovalReason.DISCONNECTED);
        WorkerSlot slot = p.slot;
        if (slot == null) {
            queue.remove(p);
            return;
        }
        if (slot.inFlight.contains(p.id)) {
            // Still in its handler: the slot stays busy until the worker answers or defers it.
            slot.sendIfConnected(new Message.ClientGone(p.id));
        }
        forgetDeferred(p);
    }

    /** A deferred request that ended here (timeout, client gone): the worker forgets it too. */
    private void forgetDeferred(Pending p) {
        WorkerSlot slot = p.slot;
        if (slot != null && slot.deferred.remove(p)) {
            slot.sendIfConnected(new Message.ClientGone(p.id));
        }
    }

    /** Forgets {@code p} on {@code slot} and tells the worker, whose {@code onDisconnect} runs. */
    void endHeldByWorker(WorkerSlot slot, Pending p) {
        slot.remove(p.id);
        slot.sendIfConnected(new Message.ClientGone(p.id));
    }

    /**
     * Ends {@code p} without an answer from here (its worker answered, or its client is gone): the one
     * place where a request stops being pending, so {@code onPendingRemoved} runs exactly once.
     */
    void finish(Pending p, RemovalReason reason) {
        if (p.done) {
            return;
        }
        p.done = true;
        timeouts.stop(p);
        pendingCount--;
        context.pendingChanged(-1);
        PoolHooks hooks = context.hooks();
        if (hooks.wantsRemovals()) {
            hooks.onRequestRemoved(p.request(handle), reason);
        }
    }

    /** Ends {@code p} with an error answer. */
    void fail(Pending p, int status, String error, RemovalReason reason) {
        fail(p, status, JsonErrors.HEADERS, error, reason);
    }

    void fail(Pending p, int status, String[] headers, String error, RemovalReason reason) {
        finish(p, reason);
        p.exchange.respond(status, headers, JsonErrors.body(error));
    }

    /**
     * Ends what {@code slot}'s worker holds (in flight and deferred): an open stream gets its last
     * chunk, anything else {@code status} with {@code error}. With {@code streamsOnly}, only streams
     * end, and the worker is told ({@code onDisconnect}).
     */
    void endHeld(WorkerSlot slot, int status, String error, boolean streamsOnly, RemovalReason reason) {
        List<Pending> ended = new ArrayList<>();
        for (PendingSet held : List.of(slot.inFlight, slot.deferred)) {
            held.removeIf(p -> {
                boolean end = !streamsOnly || (p.streaming && !p.done);
                if (end) {
                    ended.add(p);
                }
                return end;
            });
        }
        // Answering can run client callbacks that look at the slot: the maps are settled before.
        for (Pending p : ended) {
            if (p.done) {
                continue;
            }
            if (p.streaming) {
                p.exchange.endStream();
                finish(p, reason);
                if (streamsOnly) {
                    slot.sendIfConnected(new Message.ClientGone(p.id));
                }
            } else {
                fail(p, status, error, reason);
            }
        }
    }

    /** Answers every queued request with {@code status}. */
    void failQueued(int status, String[] headers, String error, RemovalReason reason) {
        while (!queue.isEmpty()) {
            Pending p = queue.pollFirst();
            if (!p.done) {
                fail(p, status, headers, error, reason);
            }
        }
    }

    // ------------------------------------------------------------------ reports from workers

    /** The worker's handler returned without answering {@code id}: its place is free for another request. */
    void deferred(WorkerSlot slot, long id) {
        Pending p = slot.inFlight.remove(id);
        if (p == null) {
            return; // answered (or ended) before the report arrived
        }
        if (p.done) {
            // Timed out or abandoned while its handler ran: the worker can forget it now.
            slot.sendIfConnected(new Message.ClientGone(id));
        } else {
            slot.deferred.add(p);
        }
        dispatchQueued();
    }

    /** The worker asked for more time for {@code id}: its timeout starts again. */
    void keptAlive(WorkerSlot slot, long id) {
        slot.stalledMillis = 0;
        Pending p = slot.find(id);
        if (p != null && !p.done && !p.streaming) {
            timeouts.start(p);
        }
    }

    /** The worker started a streamed answer for {@code p}: streams have no timeout. */
    void streaming(Pending p) {
        p.streaming = true;
        timeouts.stop(p);
    }

    /** Fire-and-forget work waiting for a worker. */
    int fireAndForgetQueued() {
        return fireAndForget.size();
    }

    int pendingCount() {
        return pendingCount;
    }

    /** Requests waiting for a worker. */
    int queued() {
        int queued = 0;
        for (Pending p : queue) {
            if (!p.done) {
                queued++;
            }
        }
        return queued;
    }
}
