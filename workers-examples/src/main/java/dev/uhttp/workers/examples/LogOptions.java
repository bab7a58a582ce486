package dev.uhttp.workers.examples;

import dev.uhttp.workers.dispatcher.AccessLogFormat;
import dev.uhttp.workers.dispatcher.AccessLogSink;
import dev.uhttp.workers.dispatcher.DispatcherBuilder;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The logging options of the example's command line: an access log file and its format, and the
 * slow-request threshold of every pool.
 *
 * @param accessLog     null: no access log
 * @param slowRequestMs 0: no slow-request stacks
 */
record LogOptions(Path accessLog, AccessLogFormat accessLogFormat, long slowRequestMs) {

    static final LogOptions NONE = new LogOptions(null, AccessLogFormat.COMBINED, 0);

    /** {@code combined} or {@code json}. */
    static AccessLogFormat format(String option, String value) {
        return switch (value) {
            case "combined" -> AccessLogFormat.COMBINED;
            case "json" -> AccessLogFormat.JSON;
            default -> throw new IllegalArgumentException(option + " must be combined or json, got '" + value + "'");
        };
    }

    void applyTo(DispatcherBuilder dispatcher) {
        if (accessLog != null) {
            dispatcher.accessLog(AccessLogSink.file(accessLog), accessLogFormat);
        }
        if (slowRequestMs > 0) {
            dispatcher.updatePools(pool -> pool.slowRequestThreshold(Duration.ofMillis(slowRequestMs)));
        }
    }
}
