package dev.uhttp.workers.api;

import dev.uhttp.workers.api.internal.Loggers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * A worker's logger. Records go to the dispatcher, which prints them in one place (see
 * {@code Dispatcher.onLog}); records below the pool's {@code logLevel} are not even formatted.
 *
 * <p>Messages use SLF4J-style {@code {}} placeholders, filled in order from the arguments. A
 * {@link Throwable} as the last argument that has no placeholder left is printed with its stack trace:
 *
 * <pre>{@code
 * log.info("item {} saved by {}", id, user);
 * log.error("cannot save item {}", id, exception);
 * if (log.isDebugEnabled()) { log.debug("state {}", expensiveDump()); }
 * }</pre>
 */
public final class Logger {
    private final String name;
    private final LogLevel threshold;
    private final LogSink sink;

    static {
        Loggers.factory(Logger::new);
    }

    /**
     * A logger that sends what passes {@code threshold} to {@code sink}. Runtime code creates loggers
     * (through {@code dev.uhttp.workers.api.internal.Loggers}); user code receives them.
     */
    Logger(String name, LogLevel threshold, LogSink sink) {
        this.name = Objects.requireNonNull(name, "name");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The logger's name (the pool name and worker id, e.g. {@code compute[2]}). */
    public String name() {
        return name;
    }

    /** The lowest level this logger sends. */
    public LogLevel threshold() {
        return threshold;
    }

    /** Whether records of {@code level} are sent. */
    public boolean isEnabled(LogLevel level) {
        return level.value() >= threshold.value();
    }

    /** Whether DEBUG records are sent. */
    public boolean isDebugEnabled() {
        return isEnabled(LogLevel.DEBUG);
    }

    /** Whether INFO records are sent. */
    public boolean isInfoEnabled() {
        return isEnabled(LogLevel.INFO);
    }

    /** Whether WARNING records are sent. */
    public boolean isWarningEnabled() {
        return isEnabled(LogLevel.WARNING);
    }

    /** Logs at DEBUG (see {@link #log}). */
    public void debug(String message, Object... args) {
        log(LogLevel.DEBUG, message, args);
    }

    /** Logs at INFO (see {@link #log}). */
    public void info(String message, Object... args) {
        log(LogLevel.INFO, message, args);
    }

    /** Logs at WARNING (see {@link #log}). */
    public void warning(String message, Object... args) {
        log(LogLevel.WARNING, message, args);
    }

    /** Logs at ERROR (see {@link #log}). */
    public void error(String message, Object... args) {
        log(LogLevel.ERROR, message, args);
    }

    /** Logs at CRITICAL (see {@link #log}). */
    public void critical(String message, Object... args) {
        log(LogLevel.CRITICAL, message, args);
    }

    /** Logs at {@code level}; nothing is formatted when the level is below the threshold. */
    public void log(LogLevel level, String message, Object... args) {
        if (isEnabled(level)) {
            sink.log(level, name, "{}", format(message, args));
        }
    }

    /**
     * Fills {@code {}} placeholders in order; {@code \{}} is a literal {@code {}}. A trailing
     * {@link Throwable} without a placeholder of its own is appended with its stack trace; arguments
     * beyond the placeholders are otherwise ignored.
     */
    public static String format(String message, Object... args) {
        String text = String.valueOf(message);
        int count = args == null ? 0 : args.length;
        Throwable thrown = null;
        if (count > 0 && args[count - 1] instanceof Throwable t && placeholders(text) < count) {
            thrown = t;
            count--;
        }
        StringBuilder out = new StringBuilder(text.length() + 16 * count);
        int next = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && text.startsWith("{}", i + 1)) {
                out.append("{}");
                i += 3;
            } else if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '}' && next < count) {
                out.append(render(args[next++]));
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            out.append('\n').append(trace.toString().stripTrailing());
        }
        return out.toString();
    }

    private static int placeholders(String text) {
        int n = 0;
        for (int i = text.indexOf("{}"); i >= 0; i = text.indexOf("{}", i + 2)) {
            if (i == 0 || text.charAt(i - 1) != '\\') {
                n++;
            }
        }
        return n;
    }

    private static String render(Object arg) {
        if (arg != null && arg.getClass().isArray()) {
            // deepToString of a one-element wrapper handles primitive arrays too; drop its outer brackets
            String wrapped = java.util.Arrays.deepToString(new Object[] {arg});
            return wrapped.substring(1, wrapped.length() - 1);
        }
        return String.valueOf(arg);
    }
}
