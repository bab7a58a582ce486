package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The example run from the class path: {@code java -cp <jars> dev.uhttp.workers.examples.Main}. */
class ClassPathIT extends ExampleRunChecks {

    @Override
    String name() {
        return "class-path";
    }

    @Override
    List<String> launcher() {
        String classPath = Artifacts.allJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        return List.of(Artifacts.java(), "-Dmsgpack.universal-buffer=true",
                "-cp", classPath, "dev.uhttp.workers.examples.Main");
    }

    @Test
    void workersRunOnTheClassPathToo() {
        for (long pid : workerPids(health())) {
            String command = commandLine(pid);
            assertTrue(command.contains(" dev.uhttp.workers.worker.WorkerMain"), command);
            assertFalse(command.contains(" -m "), command);
        }
    }
}
