package dev.uhttp.workers.dispatcher.launch;

import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.worker.WorkerMain;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the command line of a worker JVM: the dispatcher's own {@code java}, the same module path and
 * class path, so launching works alike from Maven, from {@code java -p ... -m ...}, from the class path
 * and from a jlink image (where the modules are inside the runtime and no path is needed). When the
 * toolkit was loaded by a class loader of its own (as under {@code mvn exec:java}), the class path is
 * derived from where the code came from instead ({@link WorkerClassPath}).
 */
public final class WorkerLauncher {
    static final String WORKER_MODULE = "uhttp.workers.worker";
    static final String WORKER_MAIN = "dev.uhttp.workers.worker.WorkerMain";

    /**
     * A worker JVM's options when its pool's {@code jvmOptions(...)} gives none (issue 21). Without them
     * each worker sized its heap from the whole machine (a quarter of it at most, 1/64 at the start:
     * 384 MiB on 24 GiB) and G1 let garbage fill it: 340 MiB RSS per worker after a 1 MiB echo load. A
     * worker runs one request at a time on one thread: the serial collector fits (no GC threads, no
     * remembered sets), the heap starts small and grows to what the live set needs, up to 256 MiB.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m",
            "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10");

    /** The JVM options {@code pool}'s workers start with: its own, or {@link #DEFAULT_JVM_OPTIONS}. */
    public static List<String> jvmOptions(WorkerPool pool) {
        return pool.jvmOptions().isEmpty() ? DEFAULT_JVM_OPTIONS : pool.jvmOptions();
    }

    private final String java;
    private final String modulePath;
    private final String classPath;
    private final boolean moduleMode;
    private ClassDataArchives archives = ClassDataArchives.off();

    public WorkerLauncher() {
        this.java = javaBinary();
        this.modulePath = emptyToNull(System.getProperty("jdk.module.path"));
        this.classPath = emptyToNull(WorkerClassPath.systemLoaded() ? System.getProperty("java.class.path")
                : WorkerClassPath.derived());
        this.moduleMode = WorkerLauncher.class.getModule().isNamed();
    }

    /**
     * Fails (with one line saying what to use instead) when worker JVMs could not be launched with the
     * classes of {@code pools}: a toolkit in a module layer of its own, or a class whose file the
     * derived class path does not hold.
     */
    public static void checkLaunchable(List<WorkerPool> pools) {
        Module module = WorkerLauncher.class.getModule();
        if (module.isNamed() && module.getLayer() != ModuleLayer.boot()) {
            throw new IllegalArgumentException("cannot launch worker JVMs: module " + module.getName() + " is not in the"
                    + " boot layer; start the dispatcher with java -p <jars> -m <module>/<main class> (or from a jlink image)");
        }
        if (WorkerClassPath.systemLoaded()) {
            return;
        }
        String derived = WorkerClassPath.derived();
        List<Class<?>> classes = new ArrayList<>(WorkerClassPath.toolkit());
        pools.forEach(p -> classes.add(p.workerClass()));
        for (Class<?> c : classes) {
            String problem = WorkerClassPath.problem(c, derived);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    /** Where worker JVMs find their class data archives (set once at startup, before any launch). */
    public void archives(ClassDataArchives archives) {
        this.archives = archives;
    }

    /** Every worker of {@code pool} has been ready: its class data archive may be made now. Loop thread. */
    void archivesPoolReady(WorkerPool pool) {
        archives.poolReady(pool, this);
    }

    /** A reload: {@code pool}'s class data archive follows the code now on disk. Launcher thread. */
    void refreshArchives(WorkerPool pool) {
        archives.refresh(pool, this);
    }

    /** The command for worker {@code workerId} of {@code pool}. */
    List<String> command(WorkerPool pool, int workerId) {
        // Not read by the worker (its settings come in the Init message); they make `ps` readable.
        return command(pool, archives.options(pool), List.of("--pool=" + pool.name(), "--worker=" + workerId));
    }

    /** The command of a class-data training run for {@code pool}'s workers, with {@code jvmOptions} added. */
    List<String> trainingCommand(WorkerPool pool, List<String> jvmOptions) {
        return command(pool, jvmOptions, List.of(WorkerMain.TRAINING_ARG + pool.workerClass().getName()));
    }

    private List<String> command(WorkerPool pool, List<String> ownOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ownOptions);
        cmd.addAll(jvmOptions(pool));
        if (moduleMode) {
            if (modulePath != null) {
                cmd.add("--module-path");
                cmd.add(modulePath);
            }
            if (classPath != null) {
                cmd.add("-cp");
                cmd.add(classPath);
            }
            Module userModule = pool.workerClass().getModule();
            if (userModule.isNamed()) {
                cmd.add("--add-modules");
                cmd.add(userModule.getName());
            }
            cmd.add("-m");
            cmd.add(WORKER_MODULE + "/" + WORKER_MAIN);
        } else {
            if (classPath != null) {
                cmd.add("-cp");
                cmd.add(classPath);
            }
            cmd.add(WORKER_MAIN);
        }
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The files workers load classes from: class path entries, and module path entries with the jars
     * of a module directory listed one by one. An exploded module or a class directory is listed as
     * the directory itself.
     */
    List<String> pathEntries() {
        List<String> entries = new ArrayList<>();
        split(classPath, entries::add);
        split(modulePath, e -> {
            File f = new File(e);
            File[] jars = f.isDirectory() && !new File(f, "module-info.class").exists()
                    ? f.listFiles((dir, name) -> name.endsWith(".jar")) : null;
            File[] all = jars == null ? null : f.listFiles();
            if (jars != null && jars.length == all.length) {
                Arrays.sort(jars);
                for (File jar : jars) {
                    entries.add(jar.getPath());
                }
            } else {
                entries.add(e);
            }
        });
        return entries;
    }

    private static void split(String path, Consumer<String> to) {
        if (path != null) {
            for (String e : path.split(File.pathSeparator)) {
                if (!e.isEmpty()) {
                    to.accept(e);
                }
            }
        }
    }

    /**
     * What a worker JVM's classes come from: the java binary and version, the runtime image and every
     * path entry with its size and time (for the name of a class data archive).
     */
    String fingerprint() {
        StringBuilder sb = new StringBuilder(java).append('|').append(System.getProperty("java.vm.version"))
                .append('|').append(moduleMode).append('|')
                .append(ClassDataArchives.describe(Path.of(System.getProperty("java.home"), "lib", "modules").toString()));
        sb.append("|mp=").append(modulePath).append("|cp=").append(classPath);
        for (String e : pathEntries()) {
            sb.append('|').append(ClassDataArchives.describe(e));
        }
        return sb.toString();
    }

    private static String javaBinary() {
        Path candidate = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(candidate)) {
            return candidate.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
