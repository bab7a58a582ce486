package dev.uhttp.workers.dispatcher;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where the access log goes ({@link Dispatcher#accessLog}): a file, or a callback. Either way the loop
 * only formats a line and hands it to a bounded queue; a thread of the access log's own writes it (or
 * calls the callback), so a slow disk or callback never holds up requests: when the queue is full,
 * lines are dropped and counted ({@link Dispatcher#accessLogDropped()}).
 */
public final class AccessLogSink {
    /** Lines that may wait for the writer thread by default. */
    public static final int DEFAULT_CAPACITY = 16_384;

    private final Path file;
    private final Consumer<String> lines;
    private final int capacity;

    private AccessLogSink(Path file, Consumer<String> lines, int capacity) {
        this.file = file;
        this.lines = lines;
        this.capacity = capacity;
    }

    /**
     * Appends lines to {@code file} (created if missing), buffered. On SIGUSR1 (or
     * {@link Dispatcher#reopenAccessLog()}) it is closed and opened again by its path, as nginx does:
     * rotate by moving the file away, then send SIGUSR1.
     */
    public static AccessLogSink file(Path file) {
        return new AccessLogSink(SettingChecks.requireValue(file, "accessLog file"), null, DEFAULT_CAPACITY);
    }

    /** Calls {@code lines} with each line (without a newline), on the access log's thread, in order. */
    public static AccessLogSink lines(Consumer<String> lines) {
        return new AccessLogSink(null, SettingChecks.requireValue(lines, "accessLog lines"), DEFAULT_CAPACITY);
    }

    /** The same sink with room for {@code lines} waiting lines (default {@value #DEFAULT_CAPACITY}). */
    public AccessLogSink capacity(int lines) {
        return new AccessLogSink(file, this.lines, SettingChecks.requireAtLeast(lines, 1, "accessLog capacity"));
    }

    /** The file, or null for a callback. */
    public Path file() {
        return file;
    }

    Consumer<String> callback() {
        return lines;
    }

    int queueCapacity() {
        return capacity;
    }
}
