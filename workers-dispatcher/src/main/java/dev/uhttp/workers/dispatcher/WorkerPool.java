package dev.uhttp.workers.dispatcher;

import static dev.uhttp.workers.dispatcher.SettingChecks.requireAtLeast;
import static dev.uhttp.workers.dispatcher.SettingChecks.requirePositive;
import static dev.uhttp.workers.dispatcher.SettingChecks.requireText;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.dispatcher.pool.PoolSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * from. The running pool is {@code running.pool(name)}, a {@link PoolHandle}.
 */
public final class WorkerPool implements Cloneable {
    /** The default {@link #logName} template: the pool's name and the worker's id, {@code compute[2]}. */
    public static final String DEFAULT_LOG_NAME = "{pool_name}[{worker_id}]";

    private final Class<? extends Worker> workerClass;
    private String name;
    private int workers = 1;
    private ArrayList<String> routes = new ArrayList<>();
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
    private ArrayList<String> jvmOptions = new ArrayList<>();
    private LinkedHashMap<String, Object> kwargs = new LinkedHashMap<>();
    private long maxRequests;
    private long maxRequestsJitter;
    private Duration maxAge;
    private Duration maxAgeJitter = Duration.ZERO;
    private long maxMemory;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private int spares;
    private Integer permanentFailureExitCode;
    private Duration recoveryInterval;
    private int reloadBatch = 1;
    private String logName = DEFAULT_LOG_NAME;
    private ArrayList<String> listeners = new ArrayList<>();
    private ArrayList<Path> fileRoots = new ArrayList<>();
    /** -1 until set: then the default, capped at the dispatcher's maxContentLength (see freeze). */
    private long streamBodiesOver = -1;
    private long maxStreamedBodySize = PoolSpec.BodyLimits.DEFAULTS.maxStreamed();

    private WorkerPool(Class<? extends Worker> workerClass) {
        this.workerClass = Objects.requireNonNull(workerClass, "workerClass");
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
        for (String p : patterns) {
            if (p == null || !p.startsWith("/")) {
                throw new IllegalArgumentException("pool route must start with '/': '" + p + "'");
            }
            c.routes.add(p);
        }
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
        c.logLevel = Objects.requireNonNull(level, "logLevel");
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
        c.streamBodiesOver = requireAtLeast(bytes, 0, "streamBodiesOver");
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

    /** See {@link #streamBodiesOver(long)}; -1 when not set (the default applies). */
    public long streamBodiesOver() {
        return streamBodiesOver;
    }

    /** See {@link #maxStreamedBodySize(long)}. */
    public long maxStreamedBodySize() {
        return maxStreamedBodySize;
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
        for (String n : names) {
            c.listeners.add(requireText(n, "listener name"));
        }
        return c;
    }

    /** The named listeners it is limited to (empty: all). */
    public List<String> listeners() {
        return Collections.unmodifiableList(listeners);
    }

    /**
     * Directories its workers may hand files back from ({@code Response.file(path)}): the dispatcher
     * sends such a file itself only when its real path (symlinks and {@code ..} resolved) is a regular
     * file under one of these; anything else is answered 502 and logged as an ERROR. None by default:
     * every handed-back file is refused. Each must exist and be a directory when the dispatcher starts.
     */
    public WorkerPool fileRoots(Path... directories) {
        WorkerPool c = copy();
        for (Path d : directories) {
            c.fileRoots.add(Objects.requireNonNull(d, "file root"));
        }
        return c;
    }

    /** The directories handed-back files may come from (empty: none). */
    public List<Path> fileRoots() {
        return Collections.unmodifiableList(fileRoots);
    }

    /** Extra JVM options for this pool's worker JVMs, e.g. {@code "-Xmx256m"}. */
    public WorkerPool jvmOptions(String... options) {
        WorkerPool c = copy();
        for (String o : options) {
            c.jvmOptions.add(requireText(o, "jvm option"));
        }
        return c;
    }

    /** An extra setting handed to the workers as {@code kwargs()} (strings, numbers, booleans, lists, maps). */
    public WorkerPool kwarg(String key, Object value) {
        WorkerPool c = copy();
        c.kwargs.put(requireText(key, "kwarg name"), value);
        return c;
    }

    /** Extra settings handed to the workers as {@code kwargs()}. */
    public WorkerPool kwargs(Map<String, ?> values) {
        WorkerPool c = copy();
        values.forEach((k, v) -> c.kwargs.put(requireText(k, "kwarg name"), v));
        return c;
    }

    // ------------------------------------------------------------------ operations (recycling, spares, parking)

    /**
     * Recycles a worker after it has answered {@code count} requests (0, the default: never), each
     * worker's limit drawn anew in [count, count + {@link #maxRequestsJitter jitter}] so recycles of
     * several workers do not line up. A recycled worker is replaced first (a ready spare takes its
     * place at once; else a new process, while it keeps serving), then drains: it gets no new
     * requests, finishes what it holds, runs {@code teardown()} and exits. No client sees an error.
     */
    public WorkerPool maxRequests(long count) {
        WorkerPool c = copy();
        c.maxRequests = requireAtLeast(count, 0, "maxRequests");
        return c;
    }

    /** The spread added to each worker's {@link #maxRequests} limit (default 0). */
    public WorkerPool maxRequestsJitter(long jitter) {
        WorkerPool c = copy();
        c.maxRequestsJitter = requireAtLeast(jitter, 0, "maxRequestsJitter");
        return c;
    }

    /** Recycles a worker once its process is this old (default: never); drawn in [age, age + jitter]. */
    public WorkerPool maxAge(Duration age, Duration jitter) {
        WorkerPool c = copy();
        c.maxAge = requirePositive(age, "maxAge");
        c.maxAgeJitter = Objects.requireNonNull(jitter, "jitter").isNegative() ? Duration.ZERO : jitter;
        return c;
    }

    /**
     * Recycles a worker whose process holds more than {@code bytes} of resident memory (default 0:
     * never), sampled every heartbeat interval from {@code /proc/<pid>/status} (VmRSS; Linux only).
     */
    public WorkerPool maxMemory(long bytes) {
        WorkerPool c = copy();
        c.maxMemory = requireAtLeast(bytes, 0, "maxMemory");
        return c;
    }

    /**
     * How long a draining worker's open streams may go on before they are ended ({@code onDisconnect});
     * deferred requests keep their own timeout (default 30 s).
     */
    public WorkerPool drainTimeout(Duration timeout) {
        WorkerPool c = copy();
        c.drainTimeout = requirePositive(timeout, "drainTimeout");
        return c;
    }

    /**
     * Extra workers kept started and ready, which get no requests (default 0): when a worker dies, is
     * killed as stuck or is recycled, a spare takes its place at once and a new spare starts.
     */
    public WorkerPool spares(int count) {
        WorkerPool c = copy();
        c.spares = requireAtLeast(count, 0, "spares");
        return c;
    }

    /**
     * A worker that exits with {@code exitCode} is parked: not restarted and not counted as a restart
     * (a failure that a restart cannot fix, e.g. a missing licence). When every worker is parked, the
     * pool answers 503 for good.
     */
    public WorkerPool permanentFailureExitCode(int exitCode) {
        WorkerPool c = copy();
        c.permanentFailureExitCode = exitCode;
        return c;
    }

    /**
     * How long a degraded pool waits before it tries a worker again (default: until the oldest restart
     * leaves the {@link #restartWindow}).
     */
    public WorkerPool recoveryInterval(Duration interval) {
        WorkerPool c = copy();
        c.recoveryInterval = requirePositive(interval, "recoveryInterval");
        return c;
    }

    /** Workers a rolling reload replaces at a time (default 1). */
    public WorkerPool reloadBatch(int count) {
        WorkerPool c = copy();
        c.reloadBatch = requireAtLeast(count, 1, "reloadBatch");
        return c;
    }

    // ------------------------------------------------------------------ the settings, as set

    public Class<? extends Worker> workerClass() { return workerClass; }
    public String name() { return name; }
    public int workers() { return workers; }
    public List<String> routes() { return Collections.unmodifiableList(routes); }
    public Duration timeout() { return timeout; }
    public Duration stuckTimeout() { return stuckTimeout; }
    public Duration heartbeatInterval() { return heartbeatInterval; }
    public Duration startupTimeout() { return startupTimeout; }
    public LogLevel logLevel() { return logLevel; }
    public int maxRestarts() { return maxRestarts; }
    public Duration restartWindow() { return restartWindow; }
    public int queueWarning() { return queueWarning; }
    public int concurrency() { return concurrency; }
    public List<String> jvmOptions() { return Collections.unmodifiableList(jvmOptions); }
    public Map<String, Object> kwargs() { return Collections.unmodifiableMap(kwargs); }

    /** Whether this is the fallback pool (no routes). */
    public boolean isFallback() {
        return routes.isEmpty();
    }

    // ------------------------------------------------------------------ start

    /** The settings as the running pool reads them. */
    PoolSpec spec(long maxContentLength) {
        return new PoolSpec(name, workerClass, workers, routes, timeout, stuckTimeout, heartbeatInterval,
                startupTimeout, logLevel, maxRestarts, restartWindow, queueWarning, concurrency, jvmOptions, kwargs,
                logName, listeners, new PoolSpec.Operations(maxRequests, maxRequestsJitter, maxAge, maxAgeJitter, maxMemory, drainTimeout,
                        spares, permanentFailureExitCode, recoveryInterval, reloadBatch), fileRoots,
                slowRequestThreshold, new PoolSpec.BodyLimits(
                streamBodiesOver >= 0 ? streamBodiesOver
                        : Math.min(PoolSpec.BodyLimits.DEFAULTS.streamOver(), maxContentLength),
                maxStreamedBodySize));
    }

    /** A copy to change: the collections are copied, the rest are values. */
    private WorkerPool copy() {
        try {
            WorkerPool c = (WorkerPool) super.clone();
            c.routes = new ArrayList<>(routes);
            c.jvmOptions = new ArrayList<>(jvmOptions);
            c.kwargs = new LinkedHashMap<>(kwargs);
            c.listeners = new ArrayList<>(listeners);
            c.fileRoots = new ArrayList<>(fileRoots);
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name + "]";
    }
}
