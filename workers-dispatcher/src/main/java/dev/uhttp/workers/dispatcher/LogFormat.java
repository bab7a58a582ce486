package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * How a record is written to standard error, chosen once at startup as systemd-aware programs choose:
 * syslog priority prefixes only under journald, colours only on a terminal, plain lines otherwise.
 */
enum LogFormat {
    /** {@code <3>name: message}, every line prefixed, so that journald keeps the level. */
    JOURNAL,
    /** A timestamp, the level and ANSI colours (bold red critical, red error, yellow warning, dim debug). */
    TERMINAL,
    /** A timestamp and the level, no escape codes: a file, a pipe, a container's log. */
    PLAIN;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** What the choice reads; the system's, or a test's. */
    interface Environment {
        /** An environment variable, or null. */
        String getenv(String name);

        /** Whether the process has a terminal. */
        boolean terminal();

        /** {@code device:inode} of standard error, as systemd writes {@code JOURNAL_STREAM}; null when unknown. */
        String standardErrorId();

        /** The running process's. */
        static Environment system() {
            return new Environment() {
                @Override
                public String getenv(String name) {
                    return System.getenv(name);
                }

                @Override
                public boolean terminal() {
                    Console console = System.console();
                    if (console == null) {
                        return false;
                    }
                    try { // JDK 22+ has a console without a terminal; isTerminal() says which
                        return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
                    } catch (ReflectiveOperationException e) {
                        return true; // before JDK 22 a console is a terminal
                    }
                }

                @Override
                public String standardErrorId() {
                    try {
                        Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/2"), "unix:dev,ino");
                        return a.get("dev") + ":" + a.get("ino");
                    } catch (Exception e) {
                        return null; // not Linux, or no /proc: JOURNAL_STREAM is trusted as set
                    }
                }
            };
        }
    }

    /**
     * {@link #JOURNAL} when {@code JOURNAL_STREAM} is set and names standard error (or standard error
     * cannot be checked), else {@link #TERMINAL} on a terminal (unless {@code NO_COLOR} is set), else
     * {@link #PLAIN}. A service whose standard error systemd redirected to a file has
     * {@code JOURNAL_STREAM} naming another stream: plain lines there.
     */
    static LogFormat detect(Environment env) {
        String journal = env.getenv("JOURNAL_STREAM");
        if (journal != null && !journal.isEmpty()) {
            String actual = env.standardErrorId();
            if (actual == null || actual.equals(journal)) {
                return JOURNAL;
            }
        }
        String noColor = env.getenv("NO_COLOR");
        return env.terminal() && (noColor == null || noColor.isEmpty()) ? TERMINAL : PLAIN;
    }

    /** The record as it is written (without the line end); a multi-line message stays one record. */
    String format(String name, LogLevel level, String message, LocalDateTime now) {
        if (this == JOURNAL) {
            // One record may span lines (stack traces): prefix each so journald keeps the priority.
            String prefix = "<" + syslogPriority(level) + ">" + name + ": ";
            return prefix + message.replace("\n", "\n" + prefix);
        }
        String text = TIME.format(now) + " " + level + " " + name + ": " + message;
        String colour = this == PLAIN ? "" : switch (level) {
            case CRITICAL -> "\u001b[1;31m";
            case ERROR -> "\u001b[31m";
            case WARNING -> "\u001b[33m";
            case DEBUG -> "\u001b[2m";
            default -> "";
        };
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
