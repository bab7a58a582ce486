package dev.uhttp.workers.api;

import dev.uhttp.workers.api.internal.WorkerContext;

/**
 * A group of routes under a common prefix, given by {@link Api} on the class (the reference's
 * {@code ApiHandler} with {@code PATTERN}). List handler classes in {@link Worker#handlers()}; one
 * instance of each is made, with a public no-argument constructor, after the worker is constructed
 * and before {@link Worker#setup()}.
 *
 * <pre>{@code
 * @Api("/api/user")
 * public class UserHandler extends ApiHandler<MyWorker> {
 *     @Api(value = "/{id:int}", methods = "GET")
 *     public Object get(Request request) {
 *         return worker().db.user(request.intParam("id"));
 *     }
 * }
 * }</pre>
 *
 * A subclass inherits every route of its parents, under its own prefix.
 *
 * @param <W> the worker class this handler belongs to
 */
public abstract class ApiHandler<W extends Worker> {
    private final W worker;

    @SuppressWarnings("unchecked")
    protected ApiHandler() {
        this.worker = (W) WorkerContext.constructingWorker();
    }

    /** The worker this handler belongs to. */
    public final W worker() {
        return worker;
    }

    /** The worker's logger. */
    protected final Logger log() {
        return worker.log();
    }
}
