package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the build made, as failsafe passes it in system properties. */
final class Artifacts {
    private Artifacts() {
    }

    private static Path property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isBlank(), "system property " + name + " (set by failsafe in the pom)");
        return Path.of(value);
    }

    /** target/image, the jlink image. */
    static Path image() {
        Path image = property("examples.image");
        assertTrue(Files.isExecutable(image.resolve("bin/workers-example")), "the image at " + image + " (mvn package)");
        return image;
    }

    /** The module's own jar. */
    static Path jar() {
        Path jar = property("examples.jar");
        assertTrue(Files.isRegularFile(jar), jar + " (mvn package)");
        return jar;
    }

    /** The runtime dependencies, every one an explicit module (target/lib). */
    static List<Path> libraries() {
        Path lib = property("examples.lib");
        try (Stream<Path> files = Files.list(lib)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            assertTrue(jars.size() >= 8, "runtime dependencies in " + lib + ": " + jars);
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path libDirectory() {
        return property("examples.lib");
    }

    /** The examples jar and all its runtime dependencies. */
    static List<Path> allJars() {
        List<Path> all = new ArrayList<>();
        all.add(jar());
        all.addAll(libraries());
        return all;
    }

    /** The project version. */
    static String version() {
        return System.getProperty("examples.version");
    }

    /** The {@code java} of the JDK running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
