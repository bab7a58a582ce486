package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example run from the module path: {@code java -p <jars> -m uhttp.workers.examples/...Main}. */
class ModulePathIT extends ExampleRunChecks {

    @Override
    String name() {
        return "module-path";
    }

    @Override
    List<String> launcher() {
        String modulePath = Artifacts.jar() + File.pathSeparator + Artifacts.libDirectory();
        return List.of(Artifacts.java(), "-Dmsgpack.universal-buffer=true",
                "-p", modulePath, "-m", "uhttp.workers.examples/dev.uhttp.workers.examples.Main");
    }

    @Test
    void workersRunOnTheModulePathToo() {
        for (long pid : workerPids(health())) {
            String command = commandLine(pid);
            assertTrue(command.contains("uhttp.workers.worker/dev.uhttp.workers.worker.WorkerMain"), command);
            assertTrue(command.contains("--add-modules uhttp.workers.examples"), command);
        }
    }
}
