package dev.uhttp.workers.examples.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md's Java samples compile: each ```java block must stand, line for line (indentation aside),
 * in a Java source of this repository, and those sources are compiled by the build.
 */
class ReadmeSamplesTest {

    @Test
    void everyJavaSampleInTheReadmeComesFromACompiledSource() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> readme = Files.readAllLines(root.resolve("README.md"));
        List<List<String>> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/"))
                    .forEach(p -> sources.add(normalised(read(p))));
        }
        List<List<String>> blocks = javaBlocks(readme);
        assertTrue(blocks.size() >= 3, "README.md has Java samples");
        for (List<String> block : blocks) {
            assertTrue(sources.stream().anyMatch(src -> containsRun(src, block)),
                    "README sample not found in any source file:\n" + String.join("\n", block));
        }
    }

    private static List<List<String>> javaBlocks(List<String> lines) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            if (current == null && line.trim().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.trim().equals("```")) {
                blocks.add(normalised(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    private static List<String> normalised(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String t = l.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean containsRun(List<String> source, List<String> block) {
        outer:
        for (int i = 0; i + block.size() <= source.size(); i++) {
            for (int j = 0; j < block.size(); j++) {
                if (!source.get(i + j).equals(block.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
