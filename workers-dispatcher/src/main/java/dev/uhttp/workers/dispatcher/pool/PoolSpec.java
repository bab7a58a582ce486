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
 * @param bodies               which request bodies stream to the workers, and their limits
 */
public record PoolSpec(String name, Class<? extends Worker> workerClass, int workers, List<String> routes,
                       Duration timeout, Duration stuckTimeout, Duration heartbeatInterval, Duration startupTimeout,
                       LogLevel logLevel, int maxRestarts, Duration restartWindow, int queueWarning, int concurrency,
                       List<String> jvmOptions, Map<String, Object> kwargs, String logName, List<String> listeners,
                       Operations operations, List<Path> fileRoots, Duration slowRequestThreshold,
                       BodyLimits bodies) {

    /**
     * Which request bodies stream to the workers, and how large a streamed body may be.
     *
     * @param streamOver  bodies announced larger than this, and every chunked body, stream;
     *                    {@code Long.MAX_VALUE}: none
     * @param maxStreamed largest streamed body (413 beyond)
     */
    public record BodyLimits(long streamOver, long maxStreamed) {
        /** Defaults: bodies over 64 KiB stream, up to 8 GiB. */
        public static final BodyLimits DEFAULTS = new BodyLimits(64 * 1024, 8L << 30);

        /** Whether this pool streams bodies at all. */
        public boolean streams() {
            return streamOver != Long.MAX_VALUE;
        }

        /**
         * The largest body a request announcing {@code length} ({@code -1}: chunked) may stream, or
         * {@code -1} when its body is collected whole.
         */
        public long streamLimit(long length) {
            return streams() && (length < 0 || length > streamOver) ? maxStreamed : -1;
        }
    }

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
        bodies = bodies == null ? BodyLimits.DEFAULTS : bodies;
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
