package dev.uhttp.workers.dispatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line of a worker JVM: the dispatcher's own {@code java}, the same module path and
 * class path, so launching works alike from Maven, from {@code java -p ... -m ...}, from the class path
 * and from a jlink image (where the modules are inside the runtime and no path is needed).
 */
final class WorkerLauncher {
    static final String WORKER_MODULE = "uhttp.workers.worker";
    static final String WORKER_MAIN = "dev.uhttp.workers.worker.WorkerMain";

    private final String java;
    private final String modulePath;
    private final String classPath;
    private final boolean moduleMode;

    WorkerLauncher() {
        this.java = javaBinary();
        this.modulePath = emptyToNull(System.getProperty("jdk.module.path"));
        this.classPath = emptyToNull(System.getProperty("java.class.path"));
        this.moduleMode = WorkerLauncher.class.getModule().isNamed();
    }

    /** The command for worker {@code workerId} of {@code pool}. */
    List<String> command(WorkerPool pool, int workerId) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Dmsgpack.universal-buffer=true");
        cmd.addAll(pool.jvmOptions());
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
        // Not read by the worker (its settings come in the Init message); they make `ps` readable.
        cmd.add("--pool=" + pool.name());
        cmd.add("--worker=" + workerId);
        return cmd;
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
