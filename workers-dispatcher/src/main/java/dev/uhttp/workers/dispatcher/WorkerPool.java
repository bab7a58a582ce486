package dev.uhttp.workers.dispatcher;

import static dev.uhttp.workers.dispatcher.SettingChecks.requireAtLeast;
import static dev.uhttp.workers.dispatcher.SettingChecks.requirePath;
import static dev.uhttp.workers.dispatcher.SettingChecks.requirePositive;
import static dev.uhttp.workers.dispatcher.SettingChecks.requireText;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A pool of worker processes running one {@link Worker} class, and the routes it serves.
 *
 * <pre>{@code
 * WorkerPool.of(ComputeWorker.class)
 *     .workers(4)
 *     .routes("/api/compute/**")
 *     .timeout(Duration.ofSeconds(60))
 *     .kwarg("model", "/opt/models/small.bin")
 * }</pre>
 *
 * <p>A pool's description, immutable: each setting returns a new {@code WorkerPool} and leaves this one
 * as it was (like {@code java.time} values), so a pool can be shared, kept as a template and derived
 * from. Each setting is read back by the accessor of the same name without arguments ({@code workers()},
 * {@code timeout()}, {@code routes()}, ...); the running pool reads the pool that
 * {@code DispatcherConfig.pools()} holds: this one, or, when {@link #streamBodiesOver()} was left unset,
 * a copy with that default resolved by {@code build()}. The running pool is {@code running.pool(name)},
 * a {@link PoolHandle}.
 */
public final class WorkerPool extends PoolOperations implements Cloneable {
    private static final long DEFAULT_STREAM_BODIES_OVER = 64 * 1024;

    /** The default {@link #logName} template: the pool's name and the worker's id, {@code compute[2]}. */
    public static final String DEFAULT_LOG_NAME = "{pool_name}[{worker_id}]";

    private final Class<? extends Worker> workerClass;
    private String name;
    private int workers = 1;
    private List<String> routes = List.of();
    private Duration timeout = Duration.ofSeconds(30);
    private Duration stuckTimeout = Duration.ofSeconds(60);
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration slowRequestThreshold;
    private Duration startupTimeout = Duration.ofSeconds(120);
    private LogLevel logLevel = LogLevel.WARNING;
    private int maxRestarts = 10;
    private Duration restartWindow = Duration.ofSeconds(300);
    private int queueWarning = 100;
    private int concurrency = 1;
    private List<String> jvmOptions = List.of();
    /** Unmodifiable; its values may be null (JSON-like), so not {@code Map.copyOf}. */
    private Map<String, Object> kwargs = Map.of();
    private String logName = DEFAULT_LOG_NAME;
    private List<String> listeners = List.of();
    private List<Path> fileRoots = List.of();
    /** Empty until set: then the default, capped at the dispatcher's maxContentLength (see resolved). */
    private OptionalLong streamBodiesOver = OptionalLong.empty();
    private long maxStreamedBodySize = 8L << 30;

    private WorkerPool(Class<? extends Worker> workerClass) {
        this.workerClass = SettingChecks.requireValue(workerClass, "workerClass");
        this.name = workerClass.getSimpleName();
    }

    /** A pool of one worker running {@code workerClass}, named after the class, with the reference's defaults. */
    public static WorkerPool of(Class<? extends Worker> workerClass) {
        return new WorkerPool(workerClass);
    }

    /** The pool's name (default: the worker class's simple name); used in logs and status. */
    public WorkerPool name(String name) {
        WorkerPool c = copy();
        c.name = requireText(name, "name");
        return c;
    }

    /** Number of worker processes (default 1). */
    public WorkerPool workers(int count) {
        WorkerPool c = copy();
        c.workers = requireAtLeast(count, 1, "workers");
        return c;
    }

    /**
     * Route patterns this pool serves: {@code /api/users/**} matches {@code /api/users} and everything
     * below it; anything else matches exactly. A pool with no routes is the fallback pool.
     */
    public WorkerPool routes(String... patterns) {
        WorkerPool c = copy();
        c.routes = appended(routes, patterns, p -> requirePath(p, "pool route"));
        return c;
    }

    /** Time a request may take, queue wait included, before it is answered 504 (default 30 s). */
    public WorkerPool timeout(Duration timeout) {
        WorkerPool c = copy();
        c.timeout = requirePositive(timeout, "timeout");
        return c;
    }

    /** Time a busy worker may go without heartbeat or progress before it is killed (default 60 s). */
    public WorkerPool stuckTimeout(Duration stuckTimeout) {
        WorkerPool c = copy();
        c.stuckTimeout = requirePositive(stuckTimeout, "stuckTimeout");
        return c;
    }

    /**
     * Logs, at WARNING, the stack of the thread running a request's handler once it has run longer than
     * {@code threshold}, with the request's id, method and path, once per request (PHP-FPM's slowlog).
     * A daemon thread in each worker takes the stack, so it works while the handler spins in a busy
     * loop. Off by default.
     */
    public WorkerPool slowRequestThreshold(Duration threshold) {
        WorkerPool c = copy();
        c.slowRequestThreshold = requirePositive(threshold, "slowRequestThreshold");
        return c;
    }

    /**
     * Time a new worker has to finish {@code setup()} and report ready before it is killed and restarted
     * (default 120 s; raise it for workers that load large models).
     */
    public WorkerPool startupTimeout(Duration startupTimeout) {
        WorkerPool c = copy();
        c.startupTimeout = requirePositive(startupTimeout, "startupTimeout");
        return c;
    }

    /** Interval of worker heartbeats and of {@code Worker.onIdle} (default 1 s). */
    public WorkerPool heartbeatInterval(Duration interval) {
        WorkerPool c = copy();
        c.heartbeatInterval = requirePositive(interval, "heartbeatInterval");
        return c;
    }

    /** Lowest level of worker log records sent to the dispatcher (default WARNING). */
    public WorkerPool logLevel(LogLevel level) {
        WorkerPool c = copy();
        c.logLevel = SettingChecks.requireValue(level, "logLevel");
        return c;
    }

    /** Restarts allowed within {@link #restartWindow} before the pool is degraded (default 10). */
    public WorkerPool maxRestarts(int maxRestarts) {
        WorkerPool c = copy();
        c.maxRestarts = requireAtLeast(maxRestarts, 0, "maxRestarts");
        return c;
    }

    /** Window for counting restarts (default 300 s). */
    public WorkerPool restartWindow(Duration window) {
        WorkerPool c = copy();
        c.restartWindow = requirePositive(window, "restartWindow");
        return c;
    }

    /** Log a warning when this many requests wait in the queue (default 100; 0 disables). */
    public WorkerPool queueWarning(int size) {
        WorkerPool c = copy();
        c.queueWarning = requireAtLeast(size, 0, "queueWarning");
        return c;
    }

    /**
     * Request bodies larger than this many bytes (by their {@code Content-Length}), and every chunked
     * body, stream to the worker while they arrive (default 64 KiB, or the dispatcher's
     * {@code maxContentLength} when lower; {@code Long.MAX_VALUE}: none): the handler reads them with
     * {@code request.bodyStream()}, in pieces of at most 64 KiB, at its own pace (the dispatcher holds a
     * few hundred KiB per upload, never the body); {@code body()}/{@code json()} read it whole, up to
     * the dispatcher's {@code maxContentLength} (413 beyond).
     *
     * <p>Timeouts: {@link #timeout} starts when the body is complete; until then the dispatcher's
     * {@code headerTimeout} bounds the time between two reads that bring some of it (408), and
     * {@link #stuckTimeout} catches a handler that stops reading (body pieces count as progress).
     */
    public WorkerPool streamBodiesOver(long bytes) {
        WorkerPool c = copy();
        c.streamBodiesOver = OptionalLong.of(requireAtLeast(bytes, 0, "streamBodiesOver"));
        return c;
    }

    /**
     * Largest streamed request body (default 8 GiB): one announced larger is 413 without being read; a
     * chunked one that grows past it is 413 and its handler's stream fails.
     */
    public WorkerPool maxStreamedBodySize(long bytes) {
        WorkerPool c = copy();
        c.maxStreamedBodySize = requireAtLeast(bytes, 1, "maxStreamedBodySize");
        return c;
    }

    /** Requests one worker process handles at once, each on its own thread (default 1: single-threaded). */
    public WorkerPool concurrency(int concurrency) {
        WorkerPool c = copy();
        c.concurrency = requireAtLeast(concurrency, 1, "concurrency");
        return c;
    }

    /**
     * The name of the workers' loggers, from a template (the reference's {@code log_name}): {@code {cls}}
     * the worker class's simple name, {@code {pool_name}}, {@code {worker_id}}, {@code {pid}}; default
     * {@value #DEFAULT_LOG_NAME}.
     */
    public WorkerPool logName(String template) {
        WorkerPool c = copy();
        c.logName = requireText(template, "logName");
        return c;
    }

    /**
     * The named listeners this pool's routes are served on (see {@code Dispatcher.listener}); none given
     * means every listener. On another listener its routes are 404, never another pool's.
     */
    public WorkerPool listeners(String... names) {
        WorkerPool c = copy();
        c.listeners = appended(listeners, names, n -> requireText(n, "listener name"));
        return c;
    }

    /**
     * Directories its workers may hand files back from ({@code Response.file(path)}): the dispatcher
     * sends such a file itself only when its real path (symlinks and {@code ..} resolved) is a regular
     * file under one of these; anything else is answered 502 and logged as an ERROR. None by default:
     * every handed-back file is refused. Each must exist and be a directory when the dispatcher starts.
     */
    public WorkerPool fileRoots(Path... directories) {
        WorkerPool c = copy();
        c.fileRoots = appended(fileRoots, directories, d -> SettingChecks.requireValue(d, "file root"));
        return c;
    }

    /**
     * JVM options for this pool's worker JVMs, e.g. {@code "-Xmx1g"}. Given any, they replace the
     * defaults a worker starts with otherwise: {@code -XX:+UseSerialGC -Xms16m -Xmx256m
     * -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10} (one request thread, a heap that grows only to
     * what the live set needs: README "Performance").
     */
    public WorkerPool jvmOptions(String... options) {
        WorkerPool c = copy();
        c.jvmOptions = appended(jvmOptions, options, o -> requireText(o, "jvm option"));
        return c;
    }

    /** An extra setting handed to the workers as {@code kwargs()} (strings, numbers, booleans, lists, maps). */
    public WorkerPool kwarg(String key, Object value) {
        return kwargs(Collections.singletonMap(key, value));
    }

    /** Extra settings handed to the workers as {@code kwargs()}. */
    public WorkerPool kwargs(Map<String, ?> values) {
        LinkedHashMap<String, Object> merged = new LinkedHashMap<>(kwargs);
        SettingChecks.requireValue(values, "kwargs").forEach((k, v) -> merged.put(requireText(k, "kwarg name"), v));
        WorkerPool c = copy();
        c.kwargs = Collections.unmodifiableMap(merged);
        return c;
    }

    // ------------------------------------------------------------------ the settings, as set

    /** The worker class its processes run. */
    public Class<? extends Worker> workerClass() { return workerClass; }

    /** See {@link #name(String)}. */
    public String name() { return name; }

    /** See {@link #workers(int)}. */
    public int workers() { return workers; }

    /** See {@link #routes(String...)}; unmodifiable, empty for the fallback pool. */
    public List<String> routes() { return routes; }

    /** Whether this is the fallback pool: it has no routes, and gets the paths no other pool's routes match. */
    public boolean isFallback() { return routes.isEmpty(); }

    /** See {@link #timeout(Duration)}. */
    public Duration timeout() { return timeout; }

    /** See {@link #stuckTimeout(Duration)}. */
    public Duration stuckTimeout() { return stuckTimeout; }

    /** See {@link #slowRequestThreshold(Duration)}; empty when off. */
    public Optional<Duration> slowRequestThreshold() { return Optional.ofNullable(slowRequestThreshold); }

    /** See {@link #startupTimeout(Duration)}. */
    public Duration startupTimeout() { return startupTimeout; }

    /** See {@link #heartbeatInterval(Duration)}. */
    public Duration heartbeatInterval() { return heartbeatInterval; }

    /** See {@link #logLevel(LogLevel)}. */
    public LogLevel logLevel() { return logLevel; }

    /** See {@link #maxRestarts(int)}. */
    public int maxRestarts() { return maxRestarts; }

    /** See {@link #restartWindow(Duration)}. */
    public Duration restartWindow() { return restartWindow; }

    /** See {@link #queueWarning(int)}. */
    public int queueWarning() { return queueWarning; }

    /**
     * See {@link #streamBodiesOver(long)}; empty while not set, which the dispatcher's {@code build()}
     * resolves (64 KiB, or its {@code maxContentLength} when lower): its {@code pools()} hold the value.
     */
    public OptionalLong streamBodiesOver() { return streamBodiesOver; }

    /** See {@link #maxStreamedBodySize(long)}. */
    public long maxStreamedBodySize() { return maxStreamedBodySize; }

    /** See {@link #concurrency(int)}. */
    public int concurrency() { return concurrency; }

    /** See {@link #logName(String)}. */
    public String logName() { return logName; }

    /** See {@link #listeners(String...)}; unmodifiable, empty: every listener. */
    public List<String> listeners() { return listeners; }

    /** See {@link #fileRoots(Path...)}; unmodifiable, empty: no handed-back file is sent. */
    public List<Path> fileRoots() { return fileRoots; }

    /** See {@link #jvmOptions(String...)}; unmodifiable, empty: the defaults. */
    public List<String> jvmOptions() { return jvmOptions; }

    /** See {@link #kwargs(Map)}; unmodifiable, in the order set. */
    public Map<String, Object> kwargs() { return kwargs; }

    // ------------------------------------------------------------------ build

    /**
     * This pool with what depends on the dispatcher resolved, once, by {@code DispatcherBuilder.build()}:
     * unless set, bodies over 64 KiB stream, or over {@code maxContentLength} when that is lower.
     */
    WorkerPool resolved(long maxContentLength) {
        if (streamBodiesOver.isPresent()) {
            return this;
        }
        WorkerPool c = copy();
        c.streamBodiesOver = OptionalLong.of(Math.min(DEFAULT_STREAM_BODIES_OVER, maxContentLength));
        return c;
    }

    /** A copy to change; the collections are immutable and replaced whole, so they are shared. */
    @Override
    WorkerPool copy() {
        try {
            return (WorkerPool) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code list} followed by {@code more}, each checked, as a new unmodifiable list. */
    private static <T> List<T> appended(List<T> list, T[] more, java.util.function.UnaryOperator<T> check) {
        List<T> all = new ArrayList<>(list);
        for (T t : more) {
            all.add(check.apply(t));
        }
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name + "]";
    }
}
