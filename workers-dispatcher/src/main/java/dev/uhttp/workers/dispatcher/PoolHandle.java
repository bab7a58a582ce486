package dev.uhttp.workers.dispatcher;

import java.util.List;
import java.util.Map;

/**
 * A running pool, as {@link Dispatcher#pool(String)} returns it: what may be done with a pool while
 * the dispatcher runs. Its settings ({@link WorkerPool}) are fixed by then. Use it on the dispatcher's
 * thread (hooks, sync handlers, {@link Dispatcher#execute}).
 */
public interface PoolHandle {

    /** The pool's name. */
    String name();

    /** The pool's current state, for monitoring; serialises to JSON as is. */
    PoolStatus status();

    /**
     * Queues fire-and-forget work for this pool (the reference's {@code request_id=-1}): the worker
     * handles it like a request and its answer is dropped. {@code data} is sent as JSON unless it is a
     * {@code byte[]} or a String.
     */
    void send(String method, String path, Object data);

    /**
     * Sends fire-and-forget work to every worker of the pool at once (fan-out), paused workers included:
     * e.g. a publish that each worker delivers to the streams it holds. Unlike {@link #send} it is not
     * queued: workers that are not ready now (starting, restarting) miss it. {@code data} as for
     * {@link #send}. With a cluster bus ({@code Dispatcher.cluster}) it also goes to the pool of this name
     * on every other dispatcher of the cluster (once each; when the bus is down, to this node's workers only,
     * and the log says so).
     *
     * @return the number of this node's workers it was sent to
     */
    int broadcast(String method, String path, Object data);

    /**
     * The pool's requests currently answered by an open stream (SSE subscribers, chunked downloads),
     * with their original request ({@code client().path()}, {@code client().queryParam(...)}).
     */
    List<PoolRequest> streams();

    /**
     * Sends {@code config} to every worker of the pool ({@code Worker.onConfig}); also to restarted ones.
     *
     * @throws IllegalArgumentException when the map holds values that cannot be sent (not JSON-like)
     */
    void sendConfig(Map<String, ?> config);

    /**
     * Changes the number of active workers: new ones take requests once ready; surplus ones (the
     * highest ids) drain and leave. No request fails.
     *
     * @throws IllegalArgumentException below 1
     */
    void resize(int workers);

    /**
     * Replaces every worker and spare, {@code WorkerPool.reloadBatch} at a time, each replacement ready
     * before the worker it replaces drains (new code on disk is picked up by the new workers). A reload
     * under way starts over from the current state; a new worker that fails to start stops the reload
     * and the old workers keep serving.
     */
    void reload();
}
