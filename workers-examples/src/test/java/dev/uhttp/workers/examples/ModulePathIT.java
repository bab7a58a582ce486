package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example run from the module path: {@code java -p <jars> -m uhttp.workers.examples/...Main}, with
 * the IPC provider chosen by the system property {@code workers.ipc}.
 */
class ModulePathIT extends ExampleRunChecks {

    @Override
    String name() {
        return "module-path";
    }

    @Override
    List<String> launcher() {
        String modulePath = Artifacts.jar() + File.pathSeparator + Artifacts.libDirectory();
        return List.of(Artifacts.java(), "-Dworkers.ipc=pipe",
                "-p", modulePath, "-m", "uhttp.workers.examples/dev.uhttp.workers.examples.Main");
    }

    @Override
    String expectedIpc() {
        return "pipe";
    }

    @Override
    Map<String, String> environment() {
        Map<String, String> env = super.environment();
        env.put("WORKERS_IPC", "unixsocket"); // the system property wins
        return env;
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
