package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The default sink of {@link Dispatcher#onLog}: the reference's two formats, chosen once at startup.
 * On a terminal, a timestamp and ANSI colours (bold red critical, red error, yellow warning, dim debug);
 * otherwise syslog priority prefixes ({@code <2>} critical ... {@code <7>} debug) so that journald
 * keeps the level.
 */
final class LogOutput {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final PrintStream stream;
    private final boolean terminal;

    LogOutput(PrintStream stream, boolean terminal) {
        this.stream = stream;
        this.terminal = terminal;
    }

    /** Standard error, with colours when the process has a console. */
    static LogOutput standardError() {
        return new LogOutput(System.err, System.console() != null && System.getenv("NO_COLOR") == null);
    }

    void write(String name, LogLevel level, String message) {
        String line = format(name, level, message, terminal, LocalDateTime.now());
        synchronized (stream) {
            stream.println(line);
        }
    }

    static String format(String name, LogLevel level, String message, boolean terminal, LocalDateTime now) {
        if (!terminal) {
            // One record may span lines (stack traces): prefix each so journald keeps the priority.
            String prefix = "<" + syslogPriority(level) + ">" + name + ": ";
            return prefix + message.replace("\n", "\n" + prefix);
        }
        String colour = switch (level) {
            case CRITICAL -> "\u001b[1;31m";
            case ERROR -> "\u001b[31m";
            case WARNING -> "\u001b[33m";
            case DEBUG -> "\u001b[2m";
            default -> "";
        };
        String text = TIME.format(now) + " " + level + " " + name + ": " + message;
        return colour.isEmpty() ? text : colour + text + "\u001b[0m";
    }

    static int syslogPriority(LogLevel level) {
        return switch (level) {
            case CRITICAL -> 2;
            case ERROR -> 3;
            case WARNING -> 4;
            case INFO -> 6;
            case DEBUG -> 7;
        };
    }
}
