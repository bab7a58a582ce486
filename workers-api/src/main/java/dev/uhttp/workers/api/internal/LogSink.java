package dev.uhttp.workers.api.internal;

import dev.uhttp.workers.api.LogLevel;

/** Where a {@link dev.uhttp.workers.api.Logger} sends the records that pass its threshold. */
@FunctionalInterface
public interface LogSink {
    void log(String loggerName, LogLevel level, String message);
}
