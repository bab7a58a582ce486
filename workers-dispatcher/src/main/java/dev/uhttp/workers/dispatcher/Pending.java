package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.ipc.loop.SelectorLoop;

/** A client request handed to a pool, from queueing to its answer. Loop thread only. */
final class Pending {
    final long id;
    final Client client;
    final PoolRuntime pool;
    SelectorLoop.Timer timer;
    /** The worker holding it, once sent. */
    WorkerSlot slot;
    /** Answered (by the worker, a timeout, a failure) or abandoned by its client. */
    boolean done;
    /** The worker started a streamed answer: no request timeout any more. */
    boolean streaming;
    /** The worker was told to hold this stream's output ({@code StreamFlow(id, true)}). */
    boolean flowPaused;

    Pending(long id, Client client, PoolRuntime pool) {
        this.id = id;
        this.client = client;
        this.pool = pool;
    }
}
