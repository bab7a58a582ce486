package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces {@link System#out} so that what user code prints becomes INFO log records, one per line,
 * instead of reaching the process's real stdout (which the pipe provider uses for frames). Lines
 * printed before {@link #connect} are kept (up to a bound) and delivered when it is called. A line
 * longer than 64 KiB is cut into pieces; a last line without a newline is delivered at close.
 */
public final class StdoutCapture extends OutputStream {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_PENDING_LINES = 1000;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final List<String> pending = new ArrayList<>();
    private LogSink target;
    private String loggerName;

    StdoutCapture() {
    }

    /** Installs a capture as {@code System.out} and returns it. */
    public static StdoutCapture install() {
        StdoutCapture capture = new StdoutCapture();
        System.setOut(new PrintStream(capture, true, StandardCharsets.UTF_8));
        return capture;
    }

    /** Logs lines to {@code target} as {@code loggerName} from now on, after the lines kept so far. */
    public synchronized void connect(String loggerName, LogSink target) {
        this.loggerName = loggerName;
        this.target = target;
        for (String s : pending) {
            deliver(s);
        }
        pending.clear();
    }

    private void deliver(String text) {
        target.log(LogLevel.INFO, loggerName, "{}", text);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            line.write(b);
            if (line.size() >= MAX_LINE) {
                emit();
            }
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (target != null) {
            deliver(text);
        } else if (pending.size() < MAX_PENDING_LINES) {
            pending.add(text);
        }
    }
}
