package dev.uhttp.workers.dispatcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.dispatcher.Internals;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When class data archives cannot apply, workers are launched exactly as without them. (That they work
 * where they apply, a restarted worker mapping its pool's archive, is checked by the example ITs, whose
 * workers load their classes from jars.)
 */
class ClassDataArchivesTest {

    public static class Idle extends Worker {
    }

    private final List<String> logged = new ArrayList<>();
    private final dev.uhttp.workers.api.LogSink log = (level, logger, message, args) -> {
        if (level == LogLevel.DEBUG) {
            logged.add(dev.uhttp.workers.api.Logger.format(message, args));
        }
    };

    @Test
    void classDirectoriesOnThePathTurnThemOffAndSaySo(@TempDir Path dir) {
        // Tests run from target/classes: a directory, which the JVM does not archive.
        WorkerPool pool = WorkerPool.of(Idle.class);
        WorkerLauncher launcher = new WorkerLauncher();
        ClassDataArchives archives = ClassDataArchives.open(dir, List.of(pool), launcher, log);
        assertEquals(List.of(), archives.options(pool));
        assertTrue(logged.stream().anyMatch(l -> l.contains("holds a directory")), logged::toString);
        launcher.archives(archives);
        assertTrue(launcher.command(pool, 0).stream().noneMatch(o -> o.contains("Shared")), launcher.command(pool, 0)::toString);
    }

    @Test
    void aDirectoryOthersCanWriteIsRefused(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(ClassDataArchives.directoryProblem(shared).contains("writable by others"));
        Path fresh = dir.resolve("a/b/cds");
        assertEquals(null, ClassDataArchives.directoryProblem(fresh));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void offMeansNoOptions() {
        WorkerPool pool = WorkerPool.of(Idle.class);
        assertEquals(List.of(), ClassDataArchives.open(null, List.of(pool), new WorkerLauncher(), log).options(pool));
    }
}
