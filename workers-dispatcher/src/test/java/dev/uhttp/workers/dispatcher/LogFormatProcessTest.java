package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output format a real process picks for its standard error (a file here, as a container's log or a
 * redirect would be): syslog prefixes only when {@code JOURNAL_STREAM} names that very file, plain lines
 * otherwise (no terminal: no colours).
 */
class LogFormatProcessTest {

    private static String run(Path stderr, String journalStream) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LogFormatProbe.class.getName());
        pb.environment().remove("JOURNAL_STREAM");
        pb.environment().remove("NO_COLOR");
        if (journalStream != null) {
            pb.environment().put("JOURNAL_STREAM", journalStream);
        }
        pb.redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return Files.readString(stderr).strip();
    }

    @Test
    void journalPrefixesOnlyUnderJournaldPlainLinesOtherwise(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain.log");
        assertTrue(run(plain, null).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARNING probe: hello"),
                Files.readString(plain));
        Path other = dir.resolve("other.log");
        assertTrue(run(other, "1:2").endsWith(" WARNING probe: hello"), "JOURNAL_STREAM names another stream");
        Path journal = dir.resolve("journal.log");
        Files.createFile(journal);
        Map<String, Object> id = Files.readAttributes(journal, "unix:dev,ino");
        assertEquals("<4>probe: hello", run(journal, id.get("dev") + ":" + id.get("ino")));
        for (Path p : List.of(plain, other)) {
            assertTrue(Files.readString(p).chars().noneMatch(c -> c == 0x1b), "no escape codes off a terminal");
        }
    }
}
