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
    /** What few requests have (a context, a streamed body, a streamed or large answer), made when first set. */
    private Rare rare;
    private PoolRequest request;

    /**
     * The state of the rarer cases, apart: a small request with a whole body and answer allocates the
     * {@link Pending} alone.
     */
    private static final class Rare {
        Object context;
        BodyPump body;
        long bodySentAtTimeout = -1;
        boolean largeResponse;
        long responseOwed;
        boolean flowPaused;
    }

    private Rare rare() {
        if (rare == null) {
            rare = new Rare();
        }
        return rare;
    }

    /** What {@code onRequestAccepted} returned: it travels with the request to the worker (null: none). */
    Object context() {
        return rare == null ? null : rare.context;
    }

    /** Its streamed body on its way to the worker, once sent to one; null for a body that came whole. */
    BodyPump body() {
        return rare == null ? null : rare.body;
    }

    void body(BodyPump body) {
        rare().body = body;
    }

    /** {@link BodyPump#sent()} when its timeout last fired while the body still arrived (-1: never). */
    long bodySentAtTimeout() {
        return rare == null ? -1 : rare.bodySentAtTimeout;
    }

    void bodySentAtTimeout(long sent) {
        rare().bodySentAtTimeout = sent;
    }

    /** Its answer is a large response arriving in pieces under credit ({@code ResponseStart}). */
    boolean largeResponse() {
        return rare != null && rare.largeResponse;
    }

    void largeResponse(boolean large) {
        rare().largeResponse = large;
    }

    /** Bytes of a large response received and not yet credited back to the worker. */
    long responseOwed() {
        return rare == null ? 0 : rare.responseOwed;
    }

    void responseOwed(long owed) {
        rare().responseOwed = owed;
    }

    /** The worker was told to hold this stream's output ({@code StreamFlow(id, true)}). */
    boolean flowPaused() {
        return rare != null && rare.flowPaused;
    }

    void flowPaused(boolean paused) {
        rare().flowPaused = paused;
    }

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
        if (context != null || rare != null) {
            rare().context = context;
        }
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
