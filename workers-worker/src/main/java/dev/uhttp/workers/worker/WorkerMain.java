package dev.uhttp.workers.worker;

import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import dev.uhttp.workers.worker.runtime.StdoutCapture;
import dev.uhttp.workers.worker.runtime.WarmUp;
import dev.uhttp.workers.worker.runtime.WorkerRuntime;

/**
 * The main class of every worker JVM. The dispatcher launches it, prepared by its IPC provider:
 *
 * <pre>
 * java -cp &lt;class path&gt; dev.uhttp.workers.worker.WorkerMain
 * java -p &lt;module path&gt; --add-modules &lt;user module&gt; \
 *      -m uhttp.workers.worker/dev.uhttp.workers.worker.WorkerMain
 * </pre>
 *
 * with {@code WORKERS_IPC} (the provider's name) and whatever the provider adds in the environment,
 * and optionally {@code WORKERS_MAX_FRAME} (largest frame in bytes). The first message it expects is
 * {@code Message.Init}; it answers {@code Message.Ready} once the worker's {@code setup()} succeeded.
 *
 * <p>Before any user class loads, {@code System.out} is replaced so that what user code prints becomes
 * log records (logger {@code <pool>[<id>].stdout}) instead of corrupting the pipe provider's frames on
 * the real stdout. {@code System.err} is left alone; it reaches the dispatcher's stderr.
 *
 * <p><b>Module path:</b> the user's module must be resolved ({@code --add-modules}) and must
 * {@code opens} (or {@code exports}, if the classes are public) the packages of its worker and handler
 * classes to {@code uhttp.workers.worker}, which constructs them and calls their route methods by
 * reflection, and open the packages of classes serialised to or bound from JSON to
 * {@code com.fasterxml.jackson.databind}:
 *
 * <pre>{@code
 * module my.app {
 *     requires uhttp.workers.api;
 *     opens my.app.worker to uhttp.workers.worker, com.fasterxml.jackson.databind;
 * }
 * }</pre>
 *
 * <p>Exit status: 0 after {@code Stop} (once in-flight requests are answered) or when the dispatcher
 * closes the channel; 1 when the worker cannot start (after a CRITICAL log record with the cause) or
 * the channel fails. A worker whose dispatcher died exits by itself, even with a handler stuck.
 */
public final class WorkerMain {
    /** The environment variable with the largest frame accepted, in bytes. */
    public static final String MAX_FRAME_ENV = "WORKERS_MAX_FRAME";
    /**
     * First argument of the dispatcher's class-data training run ({@code --class-data-training=CLASS}):
     * warm up, load {@code CLASS}, exit; the JVM then dumps the classes it loaded into an archive.
     */
    public static final String TRAINING_ARG = "--class-data-training=";
    /** How long shutdown hooks get before the JVM is halted. */
    private static final long EXIT_GRACE_MILLIS = 5_000;

    private WorkerMain() {
    }

    /** The worker JVM's entry point, launched by the dispatcher (see the class comment); exits when done. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].startsWith(TRAINING_ARG)) {
            exit(WarmUp.train(args[0].substring(TRAINING_ARG.length())));
            return;
        }
        // Loads and exercises the framework's classes while this thread connects and the user's setup() runs.
        WarmUp.start();
        int status;
        try {
            status = run();
        } catch (Throwable t) {
            // No channel to report through: the platform logger writes to stderr, which reaches the
            // dispatcher's stderr.
            System.getLogger("uhttp.workers.worker").log(System.Logger.Level.ERROR, "uhttp worker: cannot start: " + t, t);
            status = 1;
        }
        exit(status);
    }

    private static int run() throws Exception {
        FrameCodec codec = new FrameCodec(maxFrame());
        IpcProvider provider = IpcProviders.select(null);
        IpcChannel channel = provider.connectWorker(System.getenv(), codec);
        // After connecting, so that whatever the provider took for its frames is the real stdout, and
        // before any user class loads, so that user output can never reach it.
        StdoutCapture stdout = StdoutCapture.install();
        WorkerRuntime[] runtime = new WorkerRuntime[1];
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) ->
                runtime[0].loopLog(level, logger, message, args))) {
            runtime[0] = new WorkerRuntime(loop, channel, stdout);
            return runtime[0].run();
        }
    }

    private static int maxFrame() {
        String value = System.getenv(MAX_FRAME_ENV);
        if (value == null || value.isBlank()) {
            return FrameCodec.DEFAULT_MAX_FRAME;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_FRAME_ENV + " is not a number of bytes: '" + value + "'", e);
        }
    }

    /** Exits, halting if a shutdown hook (user code) does not let the JVM end in time. */
    private static void exit(int status) {
        Thread guard = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(status);
        }, "uhttp-worker-exit-guard");
        guard.setDaemon(true);
        guard.start();
        System.exit(status);
    }
}
