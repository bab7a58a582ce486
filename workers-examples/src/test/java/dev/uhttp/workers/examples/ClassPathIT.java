package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The example run from the class path: {@code java -cp <jars> dev.uhttp.workers.examples.Main}, with
 * the IPC provider left to the toolkit (neither option, property nor environment: the best available,
 * Unix sockets on Linux).
 */
class ClassPathIT extends ExampleRunChecks {

    @Override
    String name() {
        return "class-path";
    }

    @Override
    List<String> launcher() {
        String classPath = Artifacts.allJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        return List.of(Artifacts.java(), "-cp", classPath, "dev.uhttp.workers.examples.Main");
    }

    @Override
    Map<String, String> environment() {
        Map<String, String> env = super.environment();
        env.put("WORKERS_IPC", null);
        return env;
    }

    @Override
    String expectedIpc() {
        return "unixsocket";
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
