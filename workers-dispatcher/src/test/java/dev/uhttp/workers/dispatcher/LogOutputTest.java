package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default log output: syslog priorities under journald, timestamp and colours on a terminal, plain lines otherwise. */
class LogOutputTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 9, 30, 1, 2_000_000);

    private static String fmt(String name, LogLevel level, String message, LogFormat format) {
        return format.format(name, level, message, NOW);
    }

    /** An environment of the test's making. */
    private static LogFormat.Environment env(Map<String, String> variables, boolean terminal, String stderrId) {
        return new LogFormat.Environment() {
            @Override
            public String getenv(String name) {
                return variables.get(name);
            }

            @Override
            public boolean terminal() {
                return terminal;
            }

            @Override
            public String standardErrorId() {
                return stderrId;
            }
        };
    }

    @Test
    void journalOnlyWhenJournalStreamNamesStandardErrorColoursOnlyOnATerminal() {
        Map<String, String> journald = Map.of("JOURNAL_STREAM", "8:1234");
        assertEquals(LogFormat.JOURNAL, LogFormat.detect(env(journald, false, "8:1234")));
        assertEquals(LogFormat.JOURNAL, LogFormat.detect(env(journald, true, "8:1234")), "journald wins");
        assertEquals(LogFormat.JOURNAL, LogFormat.detect(env(journald, false, null)), "set, and cannot be checked");
        assertEquals(LogFormat.PLAIN, LogFormat.detect(env(journald, false, "8:999")), "stderr redirected to a file");
        assertEquals(LogFormat.TERMINAL, LogFormat.detect(env(journald, true, "8:999")));
        assertEquals(LogFormat.TERMINAL, LogFormat.detect(env(Map.of(), true, "8:1")));
        assertEquals(LogFormat.PLAIN, LogFormat.detect(env(Map.of("NO_COLOR", "1"), true, "8:1")));
        assertEquals(LogFormat.PLAIN, LogFormat.detect(env(Map.of(), false, "8:1")), "a file, a pipe, a container log");
        assertEquals(LogFormat.PLAIN, LogFormat.detect(env(Map.of("JOURNAL_STREAM", ""), false, "8:1")));
    }

    @Test
    void plainLinesHaveATimestampAndTheLevelAndNoEscapeCodes() {
        assertEquals("2026-11-25 09:30:01.002 ERROR items[1]: boom\n\tat x.y(Z.java:1)",
                fmt("items[1]", LogLevel.ERROR, "boom\n\tat x.y(Z.java:1)", LogFormat.PLAIN));
        assertEquals("2026-11-25 09:30:01.002 CRITICAL d: c", fmt("d", LogLevel.CRITICAL, "c", LogFormat.PLAIN));
    }

    @Test
    void offATerminalEveryLineCarriesItsSyslogPriority() {
        assertEquals("<3>items[1]: boom\n<3>items[1]: \tat x.y(Z.java:1)",
                fmt("items[1]", LogLevel.ERROR, "boom\n\tat x.y(Z.java:1)", LogFormat.JOURNAL));
        assertEquals("<2>d: c", fmt("d", LogLevel.CRITICAL, "c", LogFormat.JOURNAL));
        assertEquals("<4>d: w", fmt("d", LogLevel.WARNING, "w", LogFormat.JOURNAL));
        assertEquals("<6>d: i", fmt("d", LogLevel.INFO, "i", LogFormat.JOURNAL));
        assertEquals("<7>d: g", fmt("d", LogLevel.DEBUG, "g", LogFormat.JOURNAL));
    }

    @Test
    void onATerminalLinesHaveATimestampAndTheReferenceColours() {
        assertEquals("\u001b[1;31m2026-11-25 09:30:01.002 CRITICAL d: c\u001b[0m",
                fmt("d", LogLevel.CRITICAL, "c", LogFormat.TERMINAL));
        assertEquals("\u001b[31m2026-11-25 09:30:01.002 ERROR d: e\u001b[0m", fmt("d", LogLevel.ERROR, "e", LogFormat.TERMINAL));
        assertEquals("\u001b[33m2026-11-25 09:30:01.002 WARNING d: w\u001b[0m", fmt("d", LogLevel.WARNING, "w", LogFormat.TERMINAL));
        assertEquals("\u001b[2m2026-11-25 09:30:01.002 DEBUG d: g\u001b[0m", fmt("d", LogLevel.DEBUG, "g", LogFormat.TERMINAL));
        assertEquals("2026-11-25 09:30:01.002 INFO d: i", fmt("d", LogLevel.INFO, "i", LogFormat.TERMINAL));
    }

    @Test
    void writeGoesToTheGivenStream() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LogOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8), LogFormat.JOURNAL).write("d", LogLevel.WARNING, "hi");
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("<4>d: hi"));
    }
}
