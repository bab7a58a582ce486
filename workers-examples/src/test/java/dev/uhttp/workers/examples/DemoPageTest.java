package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.examples.simple.SimpleDispatcher;
import dev.uhttp.workers.examples.simple.SimpleExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo page's files: all listed, extracted intact, self-contained; and the filtered version. */
class DemoPageTest {
    static final Path SOURCES = Path.of("src/main/resources/dev/uhttp/workers/examples/simple/static");

    @Test
    void everyFileOfTheStaticDirectoryIsListed() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            Set<String> names = new HashSet<>(files.map(p -> p.getFileName().toString()).toList());
            assertEquals(names, Set.copyOf(SimpleExample.STATIC_FILES));
        }
    }

    @Test
    void extractsTheFilesIntact(@TempDir Path dir) throws IOException {
        SimpleExample.extractStaticFiles(dir.resolve("static"));
        for (String name : SimpleExample.STATIC_FILES) {
            assertArrayEquals(Files.readAllBytes(SOURCES.resolve(name)), Files.readAllBytes(dir.resolve("static").resolve(name)), name);
        }
    }

    @Test
    void thePageLoadsNothingFromElsewhere() throws IOException {
        String html = Files.readString(SOURCES.resolve("index.html"));
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        List<String> refs = m.results().map(r -> r.group(1)).toList();
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(SimpleExample.STATIC_FILES.contains(ref), "local file: " + ref);
        }
        for (String name : SimpleExample.STATIC_FILES) {
            // A vendored library's banner comment (/*! https://github.com/... */) names its home; it loads nothing.
            String text = Files.readString(SOURCES.resolve(name)).replaceFirst("^/\\*![^*]*\\*/", "");
            assertFalse(text.contains("http://") || text.contains("https://") || text.contains("//cdn"), name);
        }
    }

    @Test
    void elementsTheBrowserTestUsesExist() throws IOException {
        String html = Files.readString(SOURCES.resolve("index.html"));
        for (String id : List.of("api-key", "btn-health", "btn-version", "factorial-n", "btn-factorial", "echo-data",
                "btn-echo", "item-name", "btn-item-create", "btn-items-list", "item-id", "btn-item-get",
                "btn-item-delete", "result", "result-request", "result-status", "result-worker", "result-body",
                "items-list", "pools", "pools-state", "version", "metrics-panel", "metrics-state", "chart-rate",
                "chart-latency", "chart-restarts")) {
            assertTrue(html.contains("id=\"" + id + "\""), id);
        }
    }

    @Test
    void theVersionIsFilteredIn() {
        String version = SimpleDispatcher.projectVersion();
        assertFalse(version.contains("${"), version);
        assertFalse(version.equals("unknown"), version);
    }
}
