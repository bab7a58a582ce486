package dev.uhttp.workers.dispatcher.launch;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Class data sharing (AppCDS) for worker JVMs, so that a restarted worker serves again sooner: a
 * worker spends most of its start loading classes (Jackson, the runtime), and a JVM maps an
 * archive of them in milliseconds.
 *
 * <p>Once every worker of a pool has been ready, and only if no archive exists for that pool's
 * launch configuration, a short training JVM runs off the loop ({@code WorkerMain
 * --class-data-training=CLASS}: warm-up, no user code) with {@code -XX:ArchiveClassesAtExit}; the
 * archive it dumps is renamed into place atomically and every worker launched after that (restarts,
 * and all workers of later runs) starts with {@code -XX:SharedArchiveFile}. The archive's name is a
 * digest of everything the JVM checks it against (the java binary and version, module and class path
 * with each jar's size and time, the runtime image, the pool's JVM options), so a rebuilt application
 * gets a new archive instead of a rejected one. JVM messages about archives are turned off: with the
 * pipe provider a worker's stdout is the IPC channel.
 *
 * <p>Not used (and said once at DEBUG) when the runtime has no base CDS archive, when a path holds
 * class directories (the JVM archives classes from jars only), when a pool's JVM options choose their
 * own class data sharing, or when the directory is not private to this user. The directory is made
 * with mode 0700; the newest {@value #KEEP} archives are kept.
 */
public final class ClassDataArchives {
    private static final int KEEP = 8;
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(120);
    private static final String PREFIX = "worker-";
    private static final String SUFFIX = ".jsa";

    /** A launch configuration's archive: where it goes and whether it is there. */
    private static final class Entry {
        final Path archive;
        volatile boolean ready;
        volatile boolean training;

        Entry(Path archive) {
            this.archive = archive;
        }
    }

    private final Path directory;
    private static final String LOGGER = "dispatcher";

    private final LogSink log;
    /** Read on the loop, replaced on the launcher thread by {@link #refresh} (a reload). */
    private final Map<WorkerPool, Entry> entries = new ConcurrentHashMap<>();
    private final Set<Process> training = ConcurrentHashMap.newKeySet();
    /** One training run at a time: each is a JVM start, and the pools' workers are starting too. */
    private final Object trainingLock = new Object();
    private volatile boolean closed;

    private ClassDataArchives(Path directory, LogSink log) {
        this.directory = directory;
        this.log = log;
    }

    /** Off: no options, no training. */
    public static ClassDataArchives off() {
        return new ClassDataArchives(null, (level, logger, message, args) -> {
        });
    }

    /** The default directory: {@code $XDG_CACHE_HOME/uhttp-workers/cds}, else {@code ~/.cache/uhttp-workers/cds}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("uhttp-workers").resolve("cds");
    }

    /**
     * Prepares archives for {@code pools} in {@code directory} (null: off). Does file I/O: call it at
     * startup, not on the loop.
     */
    public static ClassDataArchives open(Path directory, List<WorkerPool> pools, WorkerLauncher launcher, LogSink log) {
        if (directory == null) {
            return off();
        }
        String reason = unusableReason(launcher);
        if (reason == null) {
            reason = directoryProblem(directory);
        }
        if (reason != null) {
            log.log(LogLevel.DEBUG, LOGGER, "class data sharing for workers is off: {}", reason);
            return off();
        }
        ClassDataArchives archives = new ClassDataArchives(directory, log);
        String base = launcher.fingerprint();
        for (WorkerPool pool : pools) {
            if (choosesOwnSharing(WorkerLauncher.jvmOptions(pool))) {
                log.log(LogLevel.DEBUG, LOGGER, "class data sharing is off for pool {}: its JVM options choose their own", pool.name());
                continue;
            }
            archives.entries.put(pool, archives.entry(base, pool));
        }
        return archives;
    }

    private Entry entry(String base, WorkerPool pool) {
        Path archive = directory.resolve(PREFIX + digest(base + "\0" + String.join("\0", WorkerLauncher.jvmOptions(pool))
                + "\0" + pool.workerClass().getName()) + SUFFIX);
        Entry entry = new Entry(archive);
        if (Files.isRegularFile(archive)) {
            entry.ready = true;
            touch(archive); // recently used: kept by the pruning
        }
        return entry;
    }

    /**
     * A rolling reload: the jars may have changed on disk, so {@code pool}'s archive is looked up
     * again from their current size and time (a new build gets a new archive, made once its new
     * workers are all ready). File I/O: on the launcher thread.
     */
    void refresh(WorkerPool pool, WorkerLauncher launcher) {
        Entry old = entries.get(pool);
        if (old == null || closed) {
            return;
        }
        Entry fresh = entry(launcher.fingerprint(), pool);
        if (!fresh.archive.equals(old.archive)) {
            entries.put(pool, fresh);
            log.log(LogLevel.INFO, LOGGER, "pool {}: the code on disk changed, its workers get a new class data archive", pool.name());
        }
    }

    /** The JVM options that make a worker of {@code pool} use its archive, if there is one now. */
    List<String> options(WorkerPool pool) {
        Entry entry = entries.get(pool);
        if (entry == null || !entry.ready) {
            return List.of();
        }
        List<String> options = new ArrayList<>(quiet());
        options.add("-XX:SharedArchiveFile=" + entry.archive);
        return options;
    }

    /** Every worker of {@code pool} has been ready: creates its archive if there is none. Loop thread. */
    void poolReady(WorkerPool pool, WorkerLauncher launcher) {
        Entry entry = entries.get(pool);
        if (entry == null || entry.ready || entry.training || closed) {
            return;
        }
        entry.training = true;
        Path partial = entry.archive.resolveSibling(entry.archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        List<String> command = new ArrayList<>();
        command.add("-XX:ArchiveClassesAtExit=" + partial);
        command.addAll(quiet());
        ProcessBuilder pb = new ProcessBuilder(launcher.trainingCommand(pool, command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Thread t = new Thread(() -> {
            synchronized (trainingLock) {
                if (!closed) {
                    train(pool, entry, pb, partial);
                }
            }
        }, "uhttp-class-data-training");
        t.setDaemon(true);
        t.start();
    }

    /** Stops training runs still going (the dispatcher stops). */
    public void close() {
        closed = true;
        for (Process p : training) {
            p.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------ training (its own thread)

    private void train(WorkerPool pool, Entry entry, ProcessBuilder pb, Path partial) {
        long started = System.nanoTime();
        Process process = null;
        try {
            process = pb.start();
            training.add(process);
            process.getOutputStream().close();
            if (closed) {
                process.destroyForcibly();
            }
            if (!process.waitFor(TRAINING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("no exit within " + TRAINING_TIMEOUT.toSeconds() + " s");
            }
            if (closed) {
                return;
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new IOException("the training JVM exited with status " + process.exitValue() + " and no archive");
            }
            try {
                Files.move(partial, entry.archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, entry.archive, StandardCopyOption.REPLACE_EXISTING);
            }
            entry.ready = true;
            log.log(LogLevel.INFO, LOGGER, "class data archive for pool {} ready ({} KiB in {} ms): workers started from now on load their classes from it",
                    pool.name(), Files.size(entry.archive) / 1024, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            prune();
        } catch (IOException e) {
            log.log(LogLevel.WARNING, LOGGER, "no class data archive for pool {} (workers start without one): {}", pool.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (process != null) {
                training.remove(process);
            }
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a stale partial file is pruned later
            }
        }
    }

    /** Keeps the {@value #KEEP} most recently used archives; removes partial files older than an hour. */
    private void prune() throws IOException {
        List<Path> archives = new ArrayList<>();
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    archives.add(f);
                } else if (name.endsWith(".tmp") && modified(f) < hourAgo) {
                    Files.deleteIfExists(f);
                }
            }
        }
        archives.sort(Comparator.comparingLong(ClassDataArchives::modified).reversed());
        for (int i = KEEP; i < archives.size(); i++) {
            Files.deleteIfExists(archives.get(i));
        }
    }

    // ------------------------------------------------------------------ checks

    private static String unusableReason(WorkerLauncher launcher) {
        Path home = Path.of(System.getProperty("java.home"));
        if (!Files.isRegularFile(home.resolve("lib/server/classes.jsa"))
                && !Files.isRegularFile(home.resolve("lib/server/classes_nocoops.jsa"))) {
            return "the Java runtime at " + home + " has no base CDS archive (a jlink image needs --generate-cds-archive)";
        }
        for (String entry : launcher.pathEntries()) {
            if (Files.isDirectory(Path.of(entry))) {
                return "the module or class path holds a directory (" + entry + "); archives take classes from jars only";
            }
        }
        return null;
    }

    private static boolean choosesOwnSharing(List<String> options) {
        for (String o : options) {
            if (o.startsWith("-Xshare") || o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-XX:ArchiveClassesAtExit")
                    || o.startsWith("-XX:+AutoCreateSharedArchive") || o.startsWith("-XX:AOT")) {
                return true;
            }
        }
        return false;
    }

    /** Creates the directory (0700) if missing; null when usable, else why not. */
    static String directoryProblem(Path directory) {
        try {
            boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(directory)) {
                if (posix) {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            }
            // An archive is code the workers run: nobody else may be able to replace it.
            Path probe = Files.createTempFile(directory, ".probe", null);
            try {
                if (!Files.getOwner(probe).equals(Files.getOwner(directory))) {
                    return directory + " belongs to another user";
                }
            } finally {
                Files.deleteIfExists(probe);
            }
            if (posix) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(directory);
                if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    return directory + " is writable by others (mode " + PosixFilePermissions.toString(perms) + ")";
                }
            }
            return null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "cannot use " + directory + ": " + e;
        }
    }

    /** JVM messages about archives off: on JDK 24+ they are also tagged {@code aot}. */
    private static List<String> quiet() {
        return Runtime.version().feature() >= 24 ? List.of("-Xlog:cds*=off", "-Xlog:aot*=off") : List.of("-Xlog:cds*=off");
    }

    /** What identifies a file's content cheaply: path, size and modification time. */
    static String describe(String path) {
        File f = new File(path);
        return path + "|" + f.length() + "|" + f.lastModified();
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void touch(Path f) {
        try {
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // only for the pruning order
        }
    }
}
