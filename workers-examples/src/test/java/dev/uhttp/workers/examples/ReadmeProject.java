package dev.uhttp.workers.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user project that README.md gives in full ("Your own project"): its files live in
 * {@code src/test/user-project}, and README.md holds each of them verbatim in a code block
 * ({@code ReadmeProjectTest}); {@code ReadmeProjectIT} builds and runs it as a user would.
 */
final class ReadmeProject {
    /** The project's files, as README.md shows them. */
    static final List<String> FILES = List.of("pom.xml", "src/main/java/module-info.java",
            "src/main/java/app/Main.java", "src/main/java/app/workers/HelloWorker.java", "Dockerfile");

    private ReadmeProject() {
    }

    /** The repository's root (tests run in the module's directory). */
    static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    static Path sources() {
        return Path.of("src/test/user-project").toAbsolutePath();
    }

    static String readme() {
        return read(root().resolve("README.md"));
    }

    /** The contents of README.md's fenced code blocks, each ending with a newline. */
    static List<String> blocks() {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : readme().split("\n", -1)) {
            if (current == null && line.startsWith("```")) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** README's jlink command for the user's image, continuation lines joined. */
    static String jlinkCommand() {
        for (String block : blocks()) {
            int start = block.indexOf("\njlink ");
            if (start >= 0 && block.contains("--add-modules app")) {
                StringBuilder command = new StringBuilder();
                for (String line : block.substring(start + 1).split("\n")) {
                    boolean more = line.endsWith("\\");
                    command.append(more ? line.substring(0, line.length() - 1) : line).append(' ');
                    if (!more) {
                        break;
                    }
                }
                return command.toString().replaceAll("\\s+", " ").strip();
            }
        }
        throw new AssertionError("README.md has no jlink command with --add-modules app");
    }

    /** The Dockerfile's ENTRYPOINT, its image directory /opt/app replaced by {@code image}. */
    static List<String> entryPoint(Path image) {
        for (String line : read(sources().resolve("Dockerfile")).split("\n")) {
            if (line.startsWith("COPY ")) {
                continue;
            }
            if (line.startsWith("ENTRYPOINT [")) {
                List<String> command = new ArrayList<>();
                for (String part : line.substring("ENTRYPOINT [".length(), line.lastIndexOf(']')).split(",")) {
                    String arg = part.strip();
                    command.add(arg.substring(1, arg.length() - 1).replace("/opt/app", image.toString()));
                }
                return command;
            }
        }
        throw new AssertionError("the Dockerfile has no exec-form ENTRYPOINT");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
