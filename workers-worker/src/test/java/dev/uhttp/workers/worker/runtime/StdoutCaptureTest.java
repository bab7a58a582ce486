package dev.uhttp.workers.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.LogSink;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StdoutCaptureTest {

    /** Collects the lines; each must be an INFO record of the logger it was connected with. */
    private static LogSink sink(List<String> lines) {
        return (level, logger, message, args) -> {
            assertEquals(LogLevel.INFO, level);
            assertEquals("w.stdout", logger);
            lines.add(Logger.format(message, args));
        };
    }

    @Test
    void linesBeforeConnectAreKeptThenDeliveredInOrder() {
        StdoutCapture capture = new StdoutCapture();
        PrintStream out = new PrintStream(capture, true, StandardCharsets.UTF_8);
        out.println("early");
        List<String> lines = new ArrayList<>();
        capture.connect("w.stdout", sink(lines));
        out.println("late");
        assertEquals(List.of("early", "late"), lines);
    }

    @Test
    void splitsOnNewlinesStripsCarriageReturnAndKeepsPartialLines() {
        StdoutCapture capture = new StdoutCapture();
        List<String> lines = new ArrayList<>();
        capture.connect("w.stdout", sink(lines));
        PrintStream out = new PrintStream(capture, true, StandardCharsets.UTF_8);
        out.print("a\r\nb\n\nc");
        out.flush();
        assertEquals(List.of("a", "b", ""), lines); // "c" waits for its newline
        out.print("ontinued é\n");
        assertEquals(List.of("a", "b", "", "continued é"), lines);
        out.print("tail");
        out.close();
        assertEquals("tail", lines.get(lines.size() - 1));
    }

    @Test
    void veryLongLinesAreCut() {
        StdoutCapture capture = new StdoutCapture();
        List<String> lines = new ArrayList<>();
        capture.connect("w.stdout", sink(lines));
        PrintStream out = new PrintStream(capture, true, StandardCharsets.UTF_8);
        out.println("x".repeat(64 * 1024 + 10));
        assertEquals(2, lines.size());
        assertEquals(64 * 1024, lines.get(0).length());
        assertEquals(10, lines.get(1).length());
    }
}
