package dev.uhttp.workers.api;

/**
 * The one shape of a log callback inside the runtime: the dispatcher's HTTP engine, pools, class data
 * archives and access log writer, the selector loop and the IPC providers (given one by the dispatcher or
 * the worker that creates them), the Redis cluster bus's connections, a worker's captured standard output
 * and a worker's {@link dev.uhttp.workers.api.Logger} all log through it. Public because the IPC SPI
 * hands one to every provider, a third party's included ({@code IpcServer.Options.log()}); an application
 * logs through {@link Logger} (workers) or its dispatcher's {@code onLog}/{@code logTarget}.
 */
@FunctionalInterface
public interface LogSink {
    /**
     * A record of {@code logger} at {@code level}: {@code message} with its {@code {}} placeholders filled
     * from {@code args}, a trailing {@link Throwable} printed with its stack (see
     * {@link Logger#format}); formatted only if it passes the sink's threshold.
     * An already formatted text is passed as {@code log(level, logger, "{}", text)}.
     */
    void log(LogLevel level, String logger, String message, Object... args);
}
