package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A pool's settings as the running pool reads them: an immutable copy of its {@code WorkerPool}, taken
 * when the dispatcher starts, so nothing a caller does later can race with the loop thread.
 *
 * @param routes               empty for the fallback pool
 * @param fileRoots            directories handed-back files may come from (empty: none)
 * @param slowRequestThreshold a handler running longer has its stack logged; null: never
 */
public record PoolSpec(String name, Class<? extends Worker> workerClass, int workers, List<String> routes,
                       Duration timeout, Duration stuckTimeout, Duration heartbeatInterval, Duration startupTimeout,
                       LogLevel logLevel, int maxRestarts, Duration restartWindow, int queueWarning, int concurrency,
                       List<String> jvmOptions, Map<String, Object> kwargs, String logName, List<String> listeners,
                       Operations operations, List<Path> fileRoots, Duration slowRequestThreshold) {

    /**
     * Recycling, spares, parking and recovery.
     *
     * @param maxRequests              0: never recycled for its request count
     * @param maxAge                   null: never recycled for its age
     * @param maxMemory                0: never recycled for its memory
     * @param permanentFailureExitCode null: no exit status parks a worker
     * @param recoveryInterval         null: a degraded pool waits for its restart budget
     */
    public record Operations(long maxRequests, long maxRequestsJitter, Duration maxAge, Duration maxAgeJitter,
                             long maxMemory, Duration drainTimeout, int spares, Integer permanentFailureExitCode,
                             Duration recoveryInterval, int reloadBatch) {
    }

    public PoolSpec {
        routes = List.copyOf(routes);
        listeners = List.copyOf(listeners);
        jvmOptions = List.copyOf(jvmOptions);
        fileRoots = List.copyOf(fileRoots);
        // kwargs may hold nulls (JSON-like values): an unmodifiable view of a private copy.
        kwargs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kwargs));
    }

    /** Whether requests that came through listener {@code name} may reach this pool. */
    public boolean servesListener(String name) {
        return listeners.isEmpty() || listeners.contains(name);
    }

    /** Whether this is the fallback pool (no routes of its own). */
    public boolean isFallback() {
        return routes.isEmpty();
    }
}
