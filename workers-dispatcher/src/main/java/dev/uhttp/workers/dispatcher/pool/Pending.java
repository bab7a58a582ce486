package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.http.HttpExchange;

/**
 * A client request handed to a pool, from queueing to its answer. Loop thread only.
 *
 * <p>It carries its own links in the lists that hold it (its pool's {@link Timeouts}, its worker's
 * {@link PendingSet}) and is itself the callback for its client's leaving ({@link #run}), so that
 * queueing, sending and answering it allocate nothing more on the loop.
 */
public final class Pending implements Runnable {
    final long id;
    final Exchange client;
    final HttpExchange exchange;
    /** The pool's scheduler, once submitted: {@link #run} tells it the client left. */
    Scheduler scheduler;
    /** When its timeout fires ({@code PoolTimers.nanoTime()}), while it is in {@link #timeouts}. */
    long deadlineNanos;
    /** The timeout list it is in (null: no timeout running), and its neighbours there. */
    Timeouts timeouts;
    Pending timeoutPrev;
    Pending timeoutNext;
    /** The worker's set that holds it (in flight or deferred), or null, and its neighbours there. */
    PendingSet heldBy;
    Pending heldPrev;
    Pending heldNext;
    /** When it was queued ({@code PoolTimers.nanoTime()}): its queue wait is measured from here. */
    long queuedNanos;
    /** The worker holding it, once sent. */
    WorkerSlot slot;
    /** Answered (by the worker, a timeout, a failure) or abandoned by its client: ended exactly once. */
    boolean done;
    /** The worker started a streamed answer: no request timeout any more. */
    boolean streaming;
    /** The worker was told to hold this stream's output ({@code StreamFlow(id, true)}). */
    boolean flowPaused;
    /** Its streamed body on its way to the worker, once sent to one; null for a body that came whole. */
    BodyPump body;
    /** {@link BodyPump#sent()} when its timeout last fired while the body still arrived (-1: never). */
    long bodySentAtTimeout = -1;
    /** Its answer is a large response arriving in pieces under credit ({@code ResponseStart}). */
    boolean largeResponse;
    /** Bytes of a large response received and not yet credited back to the worker. */
    long responseOwed;
    /** What {@code onRequestAccepted} returned: it travels with the request to the worker. */
    Object context;
    private PoolRequest request;

    /** Request {@code id} of {@code client}, whose connection is {@code exchange}. */
    public Pending(long id, Exchange client, HttpExchange exchange) {
        this.id = id;
        this.client = client;
        this.exchange = exchange;
    }

    /** The dispatcher's id for the request. */
    public long id() {
        return id;
    }

    /** Sets the request's context for the worker ({@code request.context()}). */
    public void context(Object context) {
        this.context = context;
    }

    /** Its client went away (the exchange's {@code onClose}): the scheduler ends it. */
    @Override
    public void run() {
        scheduler.clientGone(this);
    }

    /** This request as the user's hooks see it (made once). */
    PoolRequest request(PoolHandle pool) {
        if (request == null) {
            request = new PoolRequest(id, client, pool);
        }
        return request;
    }
}
