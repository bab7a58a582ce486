package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.http.ListenerScope;
import dev.uhttp.workers.dispatcher.routing.SyncRoutes;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.function.Consumer;

/**
 * The subclass form of a dispatcher: settings as chained setters, hooks as overridden methods, loop
 * routes as {@link LoopRoute} methods. It is a thin layer over {@link DispatcherConfig}: {@link #start()}
 * and {@link #run()} build the same configuration the builder makes (each hook calls the method, each
 * {@code @LoopRoute} method becomes a loop route) and run it. Prefer {@link DispatcherConfig#builder()}
 * in new code: it needs no {@code opens} for the dispatcher and gives an immutable configuration.
 *
 * <pre>{@code
 * public class MyDispatcher extends Dispatcher {
 *     @Override
 *     protected void doCheck(Exchange ex) {
 *         if (!"secret".equals(ex.header("x-api-key"))) {
 *             ex.respond(401, Map.of("error", "unauthorized"));
 *             throw new RejectRequest();
 *         }
 *     }
 *
 *     @LoopRoute("/health")
 *     public void health(Exchange ex) {
 *         ex.respond(Map.of("status", "ok"));
 *     }
 * }
 * }</pre>
 *
 * <p>A subclass's package must be open (or exported) to {@code uhttp.workers.dispatcher} so that its
 * {@link LoopRoute} methods can be called. From {@code start()} on, a setter throws; while running,
 * the accessors ({@link #port()}, {@link #pool(String)}, {@link #status()}, ...) are the
 * {@link RunningDispatcher}'s.
 */
public class Dispatcher extends DispatcherSettersBase {
    private final LogOutput output = LogOutput.standardError();
    /** Set once by run() or start(); null before. */
    private volatile RunningDispatcher running;
    /** Where the default onLog writes; taken from the settings when they are fixed. */
    private volatile LogTarget logTarget = LogTarget.STANDARD_ERROR;

    /** A dispatcher with the reference's defaults: port 8080 on all addresses, no pools. */
    public Dispatcher() {
    }

    // ------------------------------------------------------------------ hooks (see DispatcherBuilder)

    /** See {@link DispatcherBuilder#doCheck}. */
    protected void doCheck(Exchange exchange) throws Exception {
    }

    /** See {@link DispatcherBuilder#doCheckSync}. */
    protected void doCheckSync(Exchange exchange) throws Exception {
    }

    /** See {@link DispatcherBuilder#onRequestAccepted}. */
    protected Object onRequestAccepted(long requestId, Exchange exchange, PoolHandle pool) throws Exception {
        return null;
    }

    /** See {@link DispatcherBuilder#onForward}; the default is {@link RunningDispatcher#forward}. */
    protected void onForward(ForwardedWork work) {
        running().forward(work);
    }

    /**
     * See {@link DispatcherBuilder#onStaticServed}: {@code status} as sent: 200, 304, 206 or 416 for a
     * file, 404 for none.
     */
    protected void onStaticServed(Exchange exchange, String path, int status) {
    }

    /** See {@link DispatcherBuilder#onResponse}. */
    protected void onResponse(WorkerResponse response, PoolRequest request) {
    }

    /** See {@link DispatcherBuilder#onStart}. */
    protected void onStart() {
    }

    /** See {@link DispatcherBuilder#onRequestRemoved}. */
    protected void onRequestRemoved(PoolRequest request, RemovalReason reason) {
    }

    /** See {@link DispatcherBuilder#onWorkerDied}. */
    protected void onWorkerDied(WorkerDeath death) {
    }

    /** See {@link DispatcherBuilder#onIdle}. */
    protected void onIdle() {
    }

    /**
     * See {@link DispatcherBuilder#onLog}; the default writes where {@link #logTarget(LogTarget)} says (standard
     * error, formatted for where it goes, and/or {@link System.Logger}).
     */
    protected void onLog(String name, LogLevel level, String message) {
        output.write(logTarget, name, level, message);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * The configuration this dispatcher stands for: its settings, its hooks calling its methods, its
     * {@code @LoopRoute} methods as loop routes. Fixes the settings.
     *
     * @throws IllegalArgumentException with a one-line message naming the fix, as {@link DispatcherBuilder#build()}
     */
    public synchronized DispatcherConfig config() {
        StartupChecks.loopRouteMethods(getClass());
        DispatcherBuilder b = builder().copy();
        logTarget = b.logTarget;
        fix();
        for (Method m : getClass().getMethods()) {
            LoopRoute route = m.getAnnotation(LoopRoute.class);
            if (route != null) {
                MethodHandle handle = handle(m);
                b.loopRoute(new SyncRoutes.Route(route.methods(), route.value(), ListenerScope.of(List.of(route.listeners())),
                        handle != null ? ex -> call(handle, ex) : ex -> call(m, ex), m.getName()));
            }
        }
        b.doCheck(this::doCheck).doCheckSync(this::doCheckSync).onRequestAccepted(this::onRequestAccepted)
                .onForward((work, d) -> onForward(work)).onStaticServed(this::onStaticServed)
                .onStart(d -> onStart()).onIdle(d -> onIdle())
                .onRequestRemoved(overrides("onRequestRemoved", PoolRequest.class, RemovalReason.class)
                        ? this::onRequestRemoved : Hooks.NO_REMOVAL_HOOK).onWorkerDied(this::onWorkerDied).onLog(this::onLog);
        // Not overridden: the default, which makes no WorkerResponse per answer.
        b.onResponse(overrides("onResponse", WorkerResponse.class, PoolRequest.class) ? this::onResponse : Hooks.NO_RESPONSE_HOOK);
        return b.build();
    }

    /** Whether this dispatcher's class (or one between it and this class) declares method {@code name}. */
    private boolean overrides(String name, Class<?>... parameters) {
        for (Class<?> c = getClass(); c != Dispatcher.class; c = c.getSuperclass()) {
            try {
                c.getDeclaredMethod(name, parameters);
                return true;
            } catch (NoSuchMethodException e) {
                // not declared here: its superclass
            }
        }
        return false;
    }

    /**
     * {@code m} bound to this dispatcher, or null when a method handle may not reach it (then
     * {@link Method#invoke} does, as {@link StartupChecks} allows): no argument array per call.
     */
    private MethodHandle handle(Method m) {
        try {
            Dispatcher.class.getModule().addReads(m.getDeclaringClass().getModule());
            return MethodHandles.lookup().unreflect(m).bindTo(this)
                    .asType(MethodType.methodType(void.class, Exchange.class));
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static void call(MethodHandle handle, Exchange ex) throws Exception {
        try {
            handle.invokeExact(ex);
        } catch (Exception e) {
            throw e;
        } catch (Throwable t) { // an Error: reported as Method.invoke reported it
            throw new InvocationTargetException(t);
        }
    }

    private void call(Method m, Exchange ex) throws Exception {
        try {
            m.invoke(Modifier.isStatic(m.getModifiers()) ? null : this, ex);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call loop route " + m + ": open its package to uhttp.workers.dispatcher", e);
        }
    }

    /** Builds {@link #config()} and runs it on this thread until SIGTERM or SIGINT (see {@link DispatcherConfig#run()}). */
    public void run() {
        run(config());
    }

    /**
     * For a {@code main} method: {@link #run()}, but a configuration that fails the checks is logged as
     * one CRITICAL line (through {@link #onLog}) and the JVM exits with status 2; see {@link DispatcherBuilder#runMain()}.
     */
    public void runMain() {
        DispatcherConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException | IllegalStateException e) {
            StartupChecks.exit(e, this::onLog);
            return;
        }
        run(config);
    }

    private void run(DispatcherConfig config) {
        RunningDispatcher r = new RunningDispatcher(config);
        running = r;
        r.runtime().run();
    }

    /**
     * Builds {@link #config()} and starts it on a background thread; returns once listening.
     *
     * @throws IllegalArgumentException with a one-line message naming the fix, for a setup that cannot work
     */
    public Dispatcher start() {
        RunningDispatcher r = new RunningDispatcher(config());
        running = r;
        r.runtime().start();
        return this;
    }

    /** The running dispatcher. */
    public RunningDispatcher running() {
        RunningDispatcher r = running;
        if (r == null || !r.runtime().isStarted()) {
            throw new IllegalStateException("the dispatcher is not running: call start() or run() first");
        }
        return r;
    }

    // ------------------------------------------------------------------ while running: the RunningDispatcher's

    /** See {@link RunningDispatcher#reload()}. */
    public void reload() {
        running().reload();
    }

    /** See {@link RunningDispatcher#reopenAccessLog()}. */
    public void reopenAccessLog() {
        running().reopenAccessLog();
    }

    /** See {@link RunningDispatcher#accessLogDropped()}. */
    public long accessLogDropped() {
        return running().accessLogDropped();
    }

    /** See {@link RunningDispatcher#stop()}; nothing when not started. */
    public void stop() {
        RunningDispatcher r = running;
        if (r != null) {
            r.stop();
        }
    }

    /** See {@link RunningDispatcher#port()}. */
    public int port() {
        return running().port();
    }

    /** See {@link RunningDispatcher#port(String)}. */
    public int port(String name) {
        return running().port(name);
    }

    /** See {@link RunningDispatcher#httpsPort()}. */
    public int httpsPortBound() {
        return running().httpsPort();
    }

    /** The pools' settings, in routing order. */
    public List<WorkerPool> pools() {
        RunningDispatcher r = running;
        return r != null ? r.config().pools() : builder().pools();
    }

    /** See {@link RunningDispatcher#pool(String)}. */
    public PoolHandle pool(String name) {
        return running().pool(name);
    }

    /** See {@link RunningDispatcher#poolFor(String)}. */
    public PoolHandle poolFor(String path) {
        return running().poolFor(path);
    }

    /** See {@link RunningDispatcher#nodeName()}. */
    public String nodeName() {
        return running().nodeName();
    }

    /** See {@link RunningDispatcher#inLameDuck()}. */
    public boolean inLameDuck() {
        return running().inLameDuck();
    }

    /** See {@link RunningDispatcher#ipcProvider()}; null before it started. */
    public String ipcProvider() {
        RunningDispatcher r = running;
        return r == null ? null : r.ipcProvider();
    }

    /** See {@link RunningDispatcher#status()}. */
    public RunningDispatcher.Status status() {
        return running().status();
    }

    /** See {@link RunningDispatcher#metrics()}. */
    public Metrics metrics() {
        return running().metrics();
    }

    /** See {@link RunningDispatcher#bufferedBytes()}. */
    public long bufferedBytes() {
        return running().bufferedBytes();
    }

    /** See {@link RunningDispatcher#register}. */
    public SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> callback) throws IOException {
        return running().register(channel, ops, callback);
    }

    /** See {@link RunningDispatcher#execute}. */
    public void execute(Runnable task) {
        running().execute(task);
    }

    /** See {@link RunningDispatcher#log}. */
    public final void log(LogLevel level, String message, Object... args) {
        running().log(level, message, args);
    }
}
