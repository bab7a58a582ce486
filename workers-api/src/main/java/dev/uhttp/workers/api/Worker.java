package dev.uhttp.workers.api;

import dev.uhttp.workers.api.internal.WorkerContext;
import java.util.List;
import java.util.Map;

/**
 * Business logic that runs in a worker process (a separate JVM), one instance per process.
 *
 * <p>Subclass it, give it a public no-argument constructor, and declare routes with {@link Api} on its
 * public methods or on {@link ApiHandler}s listed by {@link #handlers()}:
 *
 * <pre>{@code
 * public class ItemWorker extends Worker {
 *     private Map<Integer, String> items;
 *
 *     @Override
 *     public void setup() {
 *         items = new HashMap<>();
 *     }
 *
 *     @Api(value = "/api/item/{id:int}", methods = "GET")
 *     public Object get(Request request) {
 *         String item = items.get(request.intParam("id"));
 *         return item != null ? Map.of("name", item) : Response.of(404, Map.of("error", "Not found"));
 *     }
 * }
 * }</pre>
 *
 * <p>With the pool's default {@code concurrency} of 1, every hook and handler runs on the worker's one
 * loop thread, so no synchronisation is needed. With a higher concurrency, handlers run on up to that
 * many threads at once and must be thread-safe.
 */
public abstract class Worker {
    private final WorkerContext context;
    /** This worker's logger; records below the pool's log level are dropped. */
    protected final Logger log;

    /** Binds the instance to the runtime that is constructing it (or to a detached context in plain unit tests). */
    protected Worker() {
        this.context = WorkerContext.constructing();
        this.log = context.logger();
    }

    /** Called once in the worker process before any request: open databases, load models, etc. */
    public void setup() throws Exception {
    }

    /** The handler classes whose routes this worker serves (the reference's {@code HANDLERS}). */
    public List<Class<? extends ApiHandler<?>>> handlers() {
        return List.of();
    }

    /**
     * Called before routing every request. Return null to go on, or a result (any handler result type)
     * to answer with it instead; or throw {@link RejectRequest}.
     */
    public Object doCheck(Request request) throws Exception {
        return null;
    }

    /**
     * Called when a handler throws. The default logs at ERROR with the stack trace and answers 500
     * {@code {"error": message}}.
     */
    public Object onRequestError(Request request, Throwable error) {
        log.error("{} {} failed", request.method(), request.path(), error);
        String message = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        return Response.of(500, Map.of("error", message));
    }

    /** Called every heartbeat interval in which the worker had nothing to do. */
    public void onIdle() throws Exception {
    }

    /** Called with a configuration map sent by the dispatcher ({@code pool.sendConfig}). */
    public void onConfig(Map<String, Object> config) throws Exception {
    }

    /**
     * Tells the dispatcher now that the current request is still being worked on, so that long work is
     * neither seen as stuck nor timed out. Call it from the handler's thread.
     */
    public final void keepAlive() {
        context.keepAlive();
    }

    /** The extra settings of the pool ({@code WorkerPool.kwargs}): strings, numbers, booleans, lists, maps. */
    public final Map<String, Object> kwargs() {
        return context.kwargs();
    }

    /** This worker's logger. */
    public final Logger log() {
        return log;
    }

    /** This worker's index in its pool, from 0; kept across restarts. */
    public final int workerId() {
        return context.workerId();
    }

    /** The name of this worker's pool. */
    public final String poolName() {
        return context.poolName();
    }
}
