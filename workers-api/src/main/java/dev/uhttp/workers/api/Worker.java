package dev.uhttp.workers.api;

import dev.uhttp.workers.api.internal.WorkerContext;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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
 *
 * <p><b>Asynchronous work.</b> A handler may return {@link #DEFERRED} and answer later with
 * {@link Request#respond(int, Object)}, or stream with {@link Request#responseStream()} (see
 * {@link Request}); {@link #onDisconnect(long)} tells when such a client went away. The worker's own
 * loop can watch the user's channels ({@link #registerReader}), and {@link #pause()} stops the
 * dispatcher from sending new requests while the worker is full.
 */
public abstract class Worker {
    /**
     * Returned by a handler that answers later, through the {@link Request} it keeps
     * ({@link Request#respond(int, Object)} or a stream). The worker takes further requests at once.
     */
    public static final Object DEFERRED = new Object() {
        @Override
        public String toString() {
            return "Worker.DEFERRED";
        }
    };

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

    /**
     * Called once when the worker stops gracefully (the dispatcher shuts down, or the worker is
     * recycled, reloaded or retired by a resize), after its last request and before its process exits:
     * close files, flush buffers, release what {@link #setup()} took. Not called when the worker
     * crashes or is killed (stuck, or still running after its grace period).
     */
    public void teardown() throws Exception {
    }

    /** Called every heartbeat interval in which the worker had nothing to do. */
    public void onIdle() throws Exception {
    }

    /** Called with a configuration map sent by the dispatcher ({@code pool.sendConfig}). */
    public void onConfig(Map<String, Object> config) throws Exception {
    }

    /**
     * Called on the worker's loop thread when the client of an unanswered request went away: it closed
     * its connection, its deferred request timed out, or its stream was cut because the client did not
     * read fast enough. Forget the request; whatever is sent for it from now on is dropped silently.
     * Not called for requests the worker answered or whose stream it ended itself.
     */
    public void onDisconnect(long requestId) throws Exception {
    }

    /**
     * Asks the dispatcher to send this worker no new requests (they go to the pool's other workers or
     * wait in the queue) until {@link #resume()}, e.g. while it holds as many streams as it can serve.
     * Open requests, heartbeats, {@code onIdle}, {@code onConfig}, fan-out messages and registered
     * channels go on. Callable from any thread; a restarted worker starts resumed.
     */
    public final void pause() {
        context.pause(true);
    }

    /**
     * Hands fire-and-forget work to whichever pool serves {@code route} (the reference's
     * {@code forward}), through the dispatcher's {@code onForward} hook: by default it is queued there
     * as a {@code POST} with the reference's {@code request_id=-1} (its answer is dropped), or dropped
     * with a WARNING when no pool serves the route, or that pool is degraded or its queue is full.
     * {@code data} is encoded as a handler's result would be (JSON, text, bytes). Callable from any
     * thread.
     */
    public final void forward(String route, Object data) {
        if (route == null || !route.startsWith("/")) {
            throw new IllegalArgumentException("forward route must start with '/': '" + route + "'");
        }
        context.forward(route, data);
    }

    /** Takes new requests again after {@link #pause()}. Callable from any thread. */
    public final void resume() {
        context.pause(false);
    }

    /** Whether {@link #pause()} is in effect. */
    public final boolean isPaused() {
        return context.isPaused();
    }

    /**
     * Watches {@code channel} (a socket, a {@code Pipe.SourceChannel}, a serial port's channel ...) on
     * the worker's own loop: {@code callback} runs on the loop thread whenever the channel is readable,
     * so a worker can talk to other processes and devices without threads. The channel is made
     * non-blocking. Keep the callback short (it holds up the loop like a handler does); an exception it
     * throws is logged and the channel stays registered. Call {@link #unregister} before or after
     * closing it. Callable from any thread, e.g. from {@code setup()}.
     */
    public final <C extends SelectableChannel> void registerReader(C channel, Consumer<? super C> callback) {
        register(channel, SelectionKey.OP_READ, callback);
    }

    /**
     * Like {@link #registerReader}, for when {@code channel} can be written: the callback runs on every
     * loop turn while it is writable, so {@link #unregister} it once its output is written (and
     * register the reader again if it is still wanted).
     */
    public final <C extends SelectableChannel> void registerWriter(C channel, Consumer<? super C> callback) {
        register(channel, SelectionKey.OP_WRITE, callback);
    }

    /** Stops watching {@code channel} (reader and writer); does not close it. No effect when not registered. */
    public final void unregister(SelectableChannel channel) {
        context.unregister(Objects.requireNonNull(channel, "channel"));
    }

    @SuppressWarnings("unchecked")
    private <C extends SelectableChannel> void register(C channel, int op, Consumer<? super C> callback) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        context.register(channel, op, c -> callback.accept((C) c));
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
