package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A setup that cannot work fails at startup, before any worker is launched, with one line naming the
 * fix: {@code start()} throws it, {@code run()} logs it and exits with status 2. (Packages not open to
 * the runtime modules are covered on the module path by the examples' README project run.)
 */
class StartupChecksTest {

    @Test
    void aSyncHandlerOnAClassTheDispatcherCannotCallFailsAtStart() {
        // Loaded by a class loader of its own: not in the dispatcher's runtime package, so it must be public.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StartupChecks.loopRouteMethods(isolated(HiddenDispatcher.class).asSubclass(Dispatcher.class)));
        assertTrue(e.getMessage().contains("@LoopRoute method " + HiddenDispatcher.class.getName() + ".health"), e.getMessage());
        assertTrue(e.getMessage().contains("make " + HiddenDispatcher.class.getName() + " public"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aNonPublicWorkerClassFailsAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dispatcher().port(0).address("127.0.0.1").pool(WorkerPool.of(HiddenWorker.class)).start());
        assertTrue(e.getMessage().contains(HiddenWorker.class.getName()) && e.getMessage().contains("must be public"),
                e.getMessage());
    }

    @Test
    void aFileRootThatIsNoDirectoryFailsAtStart(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("plain.txt"), "x");
        for (Path root : List.of(dir.resolve("missing"), file)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dispatcher().port(0)
                    .address("127.0.0.1").pool(WorkerPool.of(FileWorkers.FileWorker.class).name("files").fileRoots(dir, root))
                    .start());
            assertEquals("pool 'files': fileRoots directory " + root.toAbsolutePath() + " does not exist or is not a directory",
                    StartupChecks.oneLine(e));
        }
    }

    /** {@code type} loaded again, by a loader that delegates everything else to the test's own. */
    private static Class<?> isolated(Class<?> type) throws Exception {
        ClassLoader parent = StartupChecksTest.class.getClassLoader();
        ClassLoader loader = new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(type.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        try (java.io.InputStream in = parent.getResourceAsStream(name.replace('.', '/') + ".class")) {
                            byte[] bytes = in.readAllBytes();
                            c = defineClass(name, bytes, 0, bytes.length);
                        } catch (java.io.IOException ex) {
                            throw new ClassNotFoundException(name, ex);
                        }
                    }
                    return c;
                }
            }
        };
        return Class.forName(type.getName(), true, loader);
    }

    @Test
    void aWorkerWithoutAPublicNoArgumentConstructorFailsAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dispatcher().port(0).address("127.0.0.1").pool(WorkerPool.of(NeedsArgument.class)).start());
        assertTrue(e.getMessage().contains("public no-argument constructor"), e.getMessage());
    }

    @Test
    void runLogsTheOneLineAndExitsWithStatusTwo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp",
                System.getProperty("java.class.path"), BadIpcMain.class.getName()).start();
        child.getOutputStream().close();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "exits by itself");
        assertEquals(StartupChecks.EXIT_STATUS, child.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).contains("unknown IPC provider 'carrier-pigeon'"), err);
        assertTrue(lines.get(0).contains("unixsocket") && lines.get(0).contains("pipe"), err);
    }

    /** A dispatcher with an unknown IPC provider, run with {@code runMain()}. */
    public static final class BadIpcMain {
        public static void main(String[] args) {
            new Dispatcher().port(0).address("127.0.0.1").ipc("carrier-pigeon")
                    .pool(WorkerPool.of(TestWorkers.ApiWorker.class)).runMain();
        }
    }

    static final class HiddenDispatcher extends Dispatcher {
        @LoopRoute("/health")
        public void health(Exchange client) {
            client.respond("ok");
        }
    }

    static class HiddenWorker extends Worker {
    }

    public static class NeedsArgument extends Worker {
        public NeedsArgument(int unused) {
        }
    }

    @Test
    void streamedBodyLimitsThatCannotWorkFailWithOneLine() {
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class, () -> StartupChecks.bodyLimits(
                List.of(WorkerPool.of(PoolFixtureWorker.class).streamBodiesOver(1 << 20).maxStreamedBodySize(1000)),
                1 << 20));
        assertTrue(below.getMessage().contains("raise maxStreamedBodySize"), below.getMessage());
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class, () -> StartupChecks.bodyLimits(
                List.of(WorkerPool.of(PoolFixtureWorker.class).streamBodiesOver(4 << 20)), 1 << 20));
        assertTrue(gap.getMessage().contains("lower streamBodiesOver or raise maxContentLength"), gap.getMessage());
        StartupChecks.bodyLimits(List.of(WorkerPool.of(PoolFixtureWorker.class),
                WorkerPool.of(PoolFixtureWorker.class).streamBodiesOver(Long.MAX_VALUE)), 1 << 20); // defaults: fine
    }

    public static class PoolFixtureWorker extends Worker {
    }
}
