package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerDeath;

/**
 * The configuration's hooks that a pool calls, by their builder names (loop thread). The implementation
 * is the dispatcher's one hook guard: it catches and logs what a hook throws, so none of these throws.
 */
public interface PoolHooks {

    /**
     * Whether {@link #onResponse} does anything: when not, a worker's answer is passed to its client
     * without the copies the hook would be given.
     */
    default boolean wantsResponses() {
        return true;
    }

    /** {@code onResponse}: a worker's answer was sent to the client. */
    void onResponse(int status, String[] headers, byte[] body, PoolRequest request);

    /** {@code onForward}: a worker handed fire-and-forget work for {@code route} to whichever pool serves it. */
    void onForward(String route, String[] headers, byte[] body);

    /** Whether {@link #onRequestRemoved} does anything: when not, no {@code PoolRequest} is made for it. */
    default boolean wantsRemovals() {
        return true;
    }

    /** {@code onRequestRemoved}: a pool let go of {@code request}; once per request. */
    void onRequestRemoved(PoolRequest request, RemovalReason reason);

    /** {@code onWorkerDied}: a worker process ended without being asked to. */
    void onWorkerDied(WorkerDeath death);
}
