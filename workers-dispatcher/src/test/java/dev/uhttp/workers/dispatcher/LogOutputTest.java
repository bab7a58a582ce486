package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The default log output: syslog priorities off a terminal, timestamp and colours on one. */
class LogOutputTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 9, 30, 1, 2_000_000);

    @Test
    void offATerminalEveryLineCarriesItsSyslogPriority() {
        assertEquals("<3>items[1]: boom\n<3>items[1]: \tat x.y(Z.java:1)",
                LogOutput.format("items[1]", LogLevel.ERROR, "boom\n\tat x.y(Z.java:1)", false, NOW));
        assertEquals("<2>d: c", LogOutput.format("d", LogLevel.CRITICAL, "c", false, NOW));
        assertEquals("<4>d: w", LogOutput.format("d", LogLevel.WARNING, "w", false, NOW));
        assertEquals("<6>d: i", LogOutput.format("d", LogLevel.INFO, "i", false, NOW));
        assertEquals("<7>d: g", LogOutput.format("d", LogLevel.DEBUG, "g", false, NOW));
    }

    @Test
    void onATerminalLinesHaveATimestampAndTheReferenceColours() {
        assertEquals("\u001b[1;31m2026-11-25 09:30:01.002 CRITICAL d: c\u001b[0m",
                LogOutput.format("d", LogLevel.CRITICAL, "c", true, NOW));
        assertEquals("\u001b[31m2026-11-25 09:30:01.002 ERROR d: e\u001b[0m", LogOutput.format("d", LogLevel.ERROR, "e", true, NOW));
        assertEquals("\u001b[33m2026-11-25 09:30:01.002 WARNING d: w\u001b[0m", LogOutput.format("d", LogLevel.WARNING, "w", true, NOW));
        assertEquals("\u001b[2m2026-11-25 09:30:01.002 DEBUG d: g\u001b[0m", LogOutput.format("d", LogLevel.DEBUG, "g", true, NOW));
        assertEquals("2026-11-25 09:30:01.002 INFO d: i", LogOutput.format("d", LogLevel.INFO, "i", true, NOW));
    }

    @Test
    void writeGoesToTheGivenStream() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LogOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8), false).write("d", LogLevel.WARNING, "hi");
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("<4>d: hi"));
    }
}
