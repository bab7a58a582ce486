package dev.uhttp.workers.dispatcher;

import static dev.uhttp.workers.dispatcher.SettingChecks.requireAtLeast;
import static dev.uhttp.workers.dispatcher.SettingChecks.requirePositive;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The settings of a {@link WorkerPool} for its operations (recycling, spares, parking, recovery,
 * reloads), each with its accessor: a file of their own for size; a {@code WorkerPool} holds them.
 */
abstract class PoolOperations {
    // Set only on a fresh copy, by the setters below through changed(): immutable once returned.
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

    PoolOperations() {
    }

    /** A copy of the pool to change. */
    abstract WorkerPool copy();

    /** A copy of the pool with {@code change} applied to its operation settings (the one place they are set). */
    private WorkerPool changed(Consumer<PoolOperations> change) {
        WorkerPool c = copy();
        change.accept(c);
        return c;
    }

    /**
     * Recycles a worker after it has answered {@code count} requests (0, the default: never), each
     * worker's limit drawn anew in [count, count + {@link #maxRequestsJitter jitter}] so recycles of
     * several workers do not line up. A recycled worker is replaced first (a ready spare takes its
     * place at once; else a new process, while it keeps serving), then drains: it gets no new
     * requests, finishes what it holds, runs {@code teardown()} and exits. No client sees an error.
     */
    public WorkerPool maxRequests(long count) {
        long value = requireAtLeast(count, 0, "maxRequests");
        return changed(c -> c.maxRequests = value);
    }

    /** The spread added to each worker's {@link #maxRequests} limit (default 0). */
    public WorkerPool maxRequestsJitter(long jitter) {
        long value = requireAtLeast(jitter, 0, "maxRequestsJitter");
        return changed(c -> c.maxRequestsJitter = value);
    }

    /** Recycles a worker once its process is this old (default: never); drawn in [age, age + jitter]. */
    public WorkerPool maxAge(Duration age, Duration jitter) {
        Duration value = requirePositive(age, "maxAge");
        Duration spread = SettingChecks.requireValue(jitter, "maxAge jitter").isNegative() ? Duration.ZERO : jitter;
        return changed(c -> {
            c.maxAge = value;
            c.maxAgeJitter = spread;
        });
    }

    /**
     * Recycles a worker whose process holds more than {@code bytes} of resident memory (default 0:
     * never), sampled every heartbeat interval from {@code /proc/<pid>/status} (VmRSS; Linux only).
     */
    public WorkerPool maxMemory(long bytes) {
        long value = requireAtLeast(bytes, 0, "maxMemory");
        return changed(c -> c.maxMemory = value);
    }

    /**
     * How long a draining worker's open streams may go on before they are ended ({@code onDisconnect});
     * deferred requests keep their own timeout (default 30 s).
     */
    public WorkerPool drainTimeout(Duration timeout) {
        Duration value = requirePositive(timeout, "drainTimeout");
        return changed(c -> c.drainTimeout = value);
    }

    /**
     * Extra workers kept started and ready, which get no requests (default 0): when a worker dies, is
     * killed as stuck or is recycled, a spare takes its place at once and a new spare starts.
     */
    public WorkerPool spares(int count) {
        int value = requireAtLeast(count, 0, "spares");
        return changed(c -> c.spares = value);
    }

    /**
     * A worker that exits with {@code exitCode} is parked: not restarted and not counted as a restart
     * (a failure that a restart cannot fix, e.g. a missing licence). When every worker is parked, the
     * pool answers 503 for good.
     */
    public WorkerPool permanentFailureExitCode(int exitCode) {
        // 128 and above is how a killed process ends (128 + signal): it could not tell a kill from the worker's own exit
        int value = (int) SettingChecks.requireRange(exitCode, 1, 127, "permanentFailureExitCode");
        return changed(c -> c.permanentFailureExitCode = value);
    }

    /**
     * How long a degraded pool waits before it tries a worker again (default: until the oldest restart
     * leaves the {@link WorkerPool#restartWindow(Duration) restartWindow}).
     */
    public WorkerPool recoveryInterval(Duration interval) {
        Duration value = requirePositive(interval, "recoveryInterval");
        return changed(c -> c.recoveryInterval = value);
    }

    /** Workers a rolling reload replaces at a time (default 1). */
    public WorkerPool reloadBatch(int count) {
        int value = requireAtLeast(count, 1, "reloadBatch");
        return changed(c -> c.reloadBatch = value);
    }

    /** See {@link #maxRequests(long)}; 0: never. */
    public long maxRequests() { return maxRequests; }

    /** See {@link #maxRequestsJitter(long)}. */
    public long maxRequestsJitter() { return maxRequestsJitter; }

    /** See {@link #maxAge(Duration, Duration)}; empty: never. */
    public Optional<Duration> maxAge() { return Optional.ofNullable(maxAge); }

    /** The jitter of {@link #maxAge(Duration, Duration)} (default zero). */
    public Duration maxAgeJitter() { return maxAgeJitter; }

    /** See {@link #maxMemory(long)}; 0: never. */
    public long maxMemory() { return maxMemory; }

    /** See {@link #drainTimeout(Duration)}. */
    public Duration drainTimeout() { return drainTimeout; }

    /** See {@link #spares(int)}. */
    public int spares() { return spares; }

    /** See {@link #permanentFailureExitCode(int)}; empty: no exit status parks a worker. */
    public OptionalInt permanentFailureExitCode() {
        return permanentFailureExitCode == null ? OptionalInt.empty() : OptionalInt.of(permanentFailureExitCode);
    }

    /** See {@link #recoveryInterval(Duration)}; empty: until the restart budget allows. */
    public Optional<Duration> recoveryInterval() { return Optional.ofNullable(recoveryInterval); }

    /** See {@link #reloadBatch(int)}. */
    public int reloadBatch() { return reloadBatch; }
}
