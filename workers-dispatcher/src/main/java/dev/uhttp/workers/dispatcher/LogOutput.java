package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.internal.Loggers;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default sink of {@link Dispatcher#onLog}: standard error in the {@link LogFormat} chosen once at
 * startup, and/or {@link System.Logger} ({@link LogTarget}).
 */
final class LogOutput {
    /** The prefix of the {@link System.Logger} names records go to. */
    static final String LOGGER_PREFIX = "uhttp.workers.";

    private final PrintStream stream;
    private final LogFormat format;
    /** Record names are few (the dispatcher, the pools' workers): one logger each, looked up once. */
    private final Map<String, System.Logger> loggers = new ConcurrentHashMap<>();

    LogOutput(PrintStream stream, LogFormat format) {
        this.stream = stream;
        this.format = format;
    }

    /** Standard error, in the format its environment calls for. */
    static LogOutput standardError() {
        return new LogOutput(System.err, LogFormat.detect(LogFormat.Environment.system()));
    }

    void write(LogTarget target, String name, LogLevel level, String message) {
        if (target != LogTarget.SYSTEM_LOGGER) {
            write(name, level, message);
        }
        if (target != LogTarget.STANDARD_ERROR) {
            loggers.computeIfAbsent(name, n -> System.getLogger(LOGGER_PREFIX + n)).log(Loggers.platformLevel(level), message);
        }
    }

    void write(String name, LogLevel level, String message) {
        String line = format.format(name, level, message, LocalDateTime.now());
        synchronized (stream) {
            stream.println(line);
        }
    }
}
