package dev.uhttp.workers.api.internal;

import dev.uhttp.workers.api.LogLevel;

/**
 * The one shape of a log callback inside the runtime: the dispatcher's loop, HTTP engine, pools, class
 * data archives and access log, and a worker's {@link dev.uhttp.workers.api.Logger}, all log through it.
 * (The IPC modules, which do not see this module, report through their own small callbacks, each adapted
 * to a {@code LogSink} where the dispatcher or the worker creates them.)
 */
@FunctionalInterface
public interface LogSink {
    /**
     * A record of {@code logger} at {@code level}: {@code message} with its {@code {}} placeholders filled
     * from {@code args}, a trailing {@link Throwable} printed with its stack (see
     * {@link dev.uhttp.workers.api.Logger#format}); formatted only if it passes the sink's threshold.
     * An already formatted text is passed as {@code log(level, logger, "{}", text)}.
     */
    void log(LogLevel level, String logger, String message, Object... args);
}
