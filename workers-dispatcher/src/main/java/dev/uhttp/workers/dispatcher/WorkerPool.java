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
 * <p>This is the pool's description: its settings are fixed once the dispatcher starts (a setter then
 * throws). The running pool is {@code dispatcher.pool(name)}, a {@link PoolHandle}.
 */
public final class WorkerPool {
    /** The default {@link #logName} template: the pool's name and the worker's id, {@code compute[2]}. */
    public static final String DEFAULT_LOG_NAME = "{pool_name}[{worker_id}]";

    private final Class<? extends Worker> workerClass;
    private String name;
    private int workers = 1;
    private final List<String> routes = new ArrayList<>();
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
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, Object> kwargs = new LinkedHashMap<>();
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
    private final List<String> listeners = new ArrayList<>();
    private final List<Path> fileRoots = new ArrayList<>();
    /** -1 until set: then the default, capped at the dispatcher's maxContentLength (see freeze). */
    private long streamBodiesOver = -1;
    private long maxStreamedBodySize = PoolSpec.BodyLimits.DEFAULTS.maxStreamed();

    private volatile boolean frozen;

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
        requireOpen();
        this.name = requireText(name, "name");
        return this;
    }

    /** Number of worker processes (default 1). */
    public WorkerPool workers(int count) {
        requireOpen();
        this.workers = requireAtLeast(count, 1, "workers");
        return this;
    }

    /**
     * Route patterns this pool serves: {@code /api/users/**} matches {@code /api/users} and everything
     * below it; anything else matches exactly. A pool with no routes is the fallback pool.
     */
    public WorkerPool routes(String... patterns) {
        requireOpen();
        for (String p : patterns) {
            if (p == null || !p.startsWith("/")) {
                throw new IllegalArgumentException("pool route must start with '/': '" + p + "'");
            }
            routes.add(p);
        }
        return this;
    }

    /** Time a request may take, queue wait included, before it is answered 504 (default 30 s). */
    public WorkerPool timeout(Duration timeout) {
        requireOpen();
        this.timeout = requirePositive(timeout, "timeout");
        return this;
    }

    /** Time a busy worker may go without heartbeat or progress before it is killed (default 60 s). */
    public WorkerPool stuckTimeout(Duration stuckTimeout) {
        requireOpen();
        this.stuckTimeout = requirePositive(stuckTimeout, "stuckTimeout");
        return this;
    }

    /**
     * Logs, at WARNING, the stack of the thread running a request's handler once it has run longer than
     * {@code threshold}, with the request's id, method and path, once per request (PHP-FPM's slowlog).
     * A daemon thread in each worker takes the stack, so it works while the handler spins in a busy
     * loop. Off by default.
     */
    public WorkerPool slowRequestThreshold(Duration threshold) {
        requireOpen();
        this.slowRequestThreshold = requirePositive(threshold, "slowRequestThreshold");
        return this;
    }

    /**
     * Time a new worker has to finish {@code setup()} and report ready before it is killed and restarted
     * (default 120 s; raise it for workers that load large models).
     */
    public WorkerPool startupTimeout(Duration startupTimeout) {
        requireOpen();
        this.startupTimeout = requirePositive(startupTimeout, "startupTimeout");
        return this;
    }

    /** Interval of worker heartbeats and of {@code Worker.onIdle} (default 1 s). */
    public WorkerPool heartbeatInterval(Duration interval) {
        requireOpen();
        this.heartbeatInterval = requirePositive(interval, "heartbeatInterval");
        return this;
    }

    /** Lowest level of worker log records sent to the dispatcher (default WARNING). */
    public WorkerPool logLevel(LogLevel level) {
        requireOpen();
        this.logLevel = Objects.requireNonNull(level, "logLevel");
        return this;
    }

    /** Restarts allowed within {@link #restartWindow} before the pool is degraded (default 10). */
    public WorkerPool maxRestarts(int maxRestarts) {
        requireOpen();
        this.maxRestarts = requireAtLeast(maxRestarts, 0, "maxRestarts");
        return this;
    }

    /** Window for counting restarts (default 300 s). */
    public WorkerPool restartWindow(Duration window) {
        requireOpen();
        this.restartWindow = requirePositive(window, "restartWindow");
        return this;
    }

    /** Log a warning when this many requests wait in the queue (default 100; 0 disables). */
    public WorkerPool queueWarning(int size) {
        requireOpen();
        this.queueWarning = requireAtLeast(size, 0, "queueWarning");
        return this;
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
        requireOpen();
        this.streamBodiesOver = requireAtLeast(bytes, 0, "streamBodiesOver");
        return this;
    }

    /**
     * Largest streamed request body (default 8 GiB): one announced larger is 413 without being read; a
     * chunked one that grows past it is 413 and its handler's stream fails.
     */
    public WorkerPool maxStreamedBodySize(long bytes) {
        requireOpen();
        this.maxStreamedBodySize = requireAtLeast(bytes, 1, "maxStreamedBodySize");
        return this;
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
        requireOpen();
        this.concurrency = requireAtLeast(concurrency, 1, "concurrency");
        return this;
    }

    /**
     * The name of the workers' loggers, from a template (the reference's {@code log_name}): {@code {cls}}
     * the worker class's simple name, {@code {pool_name}}, {@code {worker_id}}, {@code {pid}}; default
     * {@value #DEFAULT_LOG_NAME}.
     */
    public WorkerPool logName(String template) {
        requireOpen();
        this.logName = requireText(template, "logName");
        return this;
    }

    /**
     * The named listeners this pool's routes are served on (see {@code Dispatcher.listener}); none given
     * means every listener. On another listener its routes are 404, never another pool's.
     */
    public WorkerPool listeners(String... names) {
        requireOpen();
        for (String n : names) {
            listeners.add(requireText(n, "listener name"));
        }
        return this;
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
        requireOpen();
        for (Path d : directories) {
            fileRoots.add(Objects.requireNonNull(d, "file root"));
        }
        return this;
    }

    /** The directories handed-back files may come from (empty: none). */
    public List<Path> fileRoots() {
        return Collections.unmodifiableList(fileRoots);
    }

    /**
     * JVM options for this pool's worker JVMs, e.g. {@code "-Xmx1g"}. Given any, they replace the
     * defaults a worker starts with otherwise: {@code -XX:+UseSerialGC -Xms16m -Xmx256m
     * -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10} (one request thread, a heap that grows only to
     * what the live set needs: README "Performance").
     */
    public WorkerPool jvmOptions(String... options) {
        requireOpen();
        for (String o : options) {
            jvmOptions.add(requireText(o, "jvm option"));
        }
        return this;
    }

    /** An extra setting handed to the workers as {@code kwargs()} (strings, numbers, booleans, lists, maps). */
    public WorkerPool kwarg(String key, Object value) {
        requireOpen();
        kwargs.put(requireText(key, "kwarg name"), value);
        return this;
    }

    /** Extra settings handed to the workers as {@code kwargs()}. */
    public WorkerPool kwargs(Map<String, ?> values) {
        requireOpen();
        values.forEach(this::kwarg);
        return this;
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
        requireOpen();
        this.maxRequests = requireAtLeast(count, 0, "maxRequests");
        return this;
    }

    /** The spread added to each worker's {@link #maxRequests} limit (default 0). */
    public WorkerPool maxRequestsJitter(long jitter) {
        requireOpen();
        this.maxRequestsJitter = requireAtLeast(jitter, 0, "maxRequestsJitter");
        return this;
    }

    /** Recycles a worker once its process is this old (default: never); drawn in [age, age + jitter]. */
    public WorkerPool maxAge(Duration age, Duration jitter) {
        requireOpen();
        this.maxAge = requirePositive(age, "maxAge");
        this.maxAgeJitter = Objects.requireNonNull(jitter, "jitter").isNegative() ? Duration.ZERO : jitter;
        return this;
    }

    /**
     * Recycles a worker whose process holds more than {@code bytes} of resident memory (default 0:
     * never), sampled every heartbeat interval from {@code /proc/<pid>/status} (VmRSS; Linux only).
     */
    public WorkerPool maxMemory(long bytes) {
        requireOpen();
        this.maxMemory = requireAtLeast(bytes, 0, "maxMemory");
        return this;
    }

    /**
     * How long a draining worker's open streams may go on before they are ended ({@code onDisconnect});
     * deferred requests keep their own timeout (default 30 s).
     */
    public WorkerPool drainTimeout(Duration timeout) {
        requireOpen();
        this.drainTimeout = requirePositive(timeout, "drainTimeout");
        return this;
    }

    /**
     * Extra workers kept started and ready, which get no requests (default 0): when a worker dies, is
     * killed as stuck or is recycled, a spare takes its place at once and a new spare starts.
     */
    public WorkerPool spares(int count) {
        requireOpen();
        this.spares = requireAtLeast(count, 0, "spares");
        return this;
    }

    /**
     * A worker that exits with {@code exitCode} is parked: not restarted and not counted as a restart
     * (a failure that a restart cannot fix, e.g. a missing licence). When every worker is parked, the
     * pool answers 503 for good.
     */
    public WorkerPool permanentFailureExitCode(int exitCode) {
        requireOpen();
        this.permanentFailureExitCode = exitCode;
        return this;
    }

    /**
     * How long a degraded pool waits before it tries a worker again (default: until the oldest restart
     * leaves the {@link #restartWindow}).
     */
    public WorkerPool recoveryInterval(Duration interval) {
        requireOpen();
        this.recoveryInterval = requirePositive(interval, "recoveryInterval");
        return this;
    }

    /** Workers a rolling reload replaces at a time (default 1). */
    public WorkerPool reloadBatch(int count) {
        requireOpen();
        this.reloadBatch = requireAtLeast(count, 1, "reloadBatch");
        return this;
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

    /** Fixes the settings (every setter throws from now on) and returns them as the running pool reads them. */
    synchronized PoolSpec freeze(long maxContentLength) {
        frozen = true;
        return new PoolSpec(name, workerClass, workers, routes, timeout, stuckTimeout, heartbeatInterval,
                startupTimeout, logLevel, maxRestarts, restartWindow, queueWarning, concurrency, jvmOptions, kwargs,
                logName, listeners, new PoolSpec.Operations(maxRequests, maxRequestsJitter, maxAge, maxAgeJitter, maxMemory, drainTimeout,
                        spares, permanentFailureExitCode, recoveryInterval, reloadBatch), fileRoots,
                slowRequestThreshold, new PoolSpec.BodyLimits(
                streamBodiesOver >= 0 ? streamBodiesOver
                        : Math.min(PoolSpec.BodyLimits.DEFAULTS.streamOver(), maxContentLength),
                maxStreamedBodySize));
    }

    private void requireOpen() {
        if (frozen) {
            throw new IllegalStateException("pool '" + name + "' is running: its settings are fixed once the "
                    + "dispatcher starts; use dispatcher.pool(\"" + name + "\") for what may change at run time");
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name + "]";
    }
}
