package dev.uhttp.workers.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No orphan worker JVMs: a dispatcher killed with SIGKILL while its worker's handler is stuck on the
 * loop thread (so the closed channel goes unnoticed) still takes the worker down, through the
 * worker's parent watchdog.
 */
class OrphanTest {

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "unixsocket"})
    void workerDiesWithItsKilledDispatcherEvenWhenStuck(String provider) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process dispatcher = new ProcessBuilder(java, "-cp", classPath,
                OrphanDispatcherMain.class.getName(), provider)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ProcessHandle worker = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(dispatcher.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("WORKER_PID ")) {
                    Optional<ProcessHandle> found = ProcessHandle.of(Long.parseLong(line.substring(11)));
                    worker = found.orElse(null);
                    break;
                }
            }
            assertNotNull(worker, "the stand-in dispatcher did not report a worker");
            assertTrue(worker.isAlive());
            dispatcher.destroyForcibly(); // SIGKILL: no chance to close anything
            ProcessHandle w = worker;
            await().atMost(WorkerHarness.TIMEOUT).until(() -> !w.isAlive());
        } finally {
            dispatcher.destroyForcibly();
            if (worker != null) {
                worker.destroyForcibly();
            }
        }
    }
}
