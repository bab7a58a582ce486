package dev.uhttp.workers.examples;

import dev.uhttp.workers.dispatcher.DispatcherBuilder;
import dev.uhttp.workers.examples.simple.SimpleDispatcher;
import dev.uhttp.workers.examples.simple.SimpleExample;
import dev.uhttp.workers.examples.sse.SseExample;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The {@code workers-example} launcher:
 *
 * <pre>
 * workers-example [--example simple|sse] [--port N] [--address A] [--ipc pipe|unixsocket] [--redis URI]
 *                 [--node NAME] [--reuse-port] [--lame-duck-ms N] ... [--help]
 * </pre>
 *
 * (every option: {@code --help}, written by picocli from {@link CommandLineOptions}).
 * It prints one line on standard output once it listens, logs to standard error, and runs until
 * SIGTERM or SIGINT (Ctrl-C), then stops gracefully and exits 0; SIGHUP replaces every worker (rolling). Exit status 2 for bad arguments,
 * 1 when it cannot start.
 */
public final class Main {
    static final String NAME = "workers-example";
    /** The usage, as picocli writes it from {@link CommandLineOptions}. */
    static final String USAGE = CommandLineOptions.usage();

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The parsed command line ({@link CommandLineOptions} reads it). */
    record Options(String example, int port, String address, String ipc, Path dataDir, PoolOptions pools,
                   int adminPort, List<String> trustedProxies, boolean help, LogOptions logs, ScaleOutOptions scaleOut) {

        static Options parse(String... args) {
            return CommandLineOptions.parse(args);
        }
    }

    /** Runs the launcher and returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.print(USAGE);
            err.flush();
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            out.flush();
            return 0;
        }
        if (options.example().equals("sse")) {
            return runSse(options, out, err);
        }
        return runSimple(options, out, err);
    }

    private static int runSse(Options options, PrintStream out, PrintStream err) {
        try {
            DispatcherBuilder dispatcher = SseExample.dispatcher(options.port(), options.address(), options.ipc());
            options.pools().applyTo(dispatcher);
            options.logs().applyTo(dispatcher);
            options.scaleOut().applyTo(dispatcher);
            dispatcher.trustedProxies(options.trustedProxies().toArray(String[]::new));
            dispatcher.onStart(running -> {
                String host = options.address().contains(":") ? "[" + options.address() + "]" : options.address();
                out.println(NAME + ": sse example listening on http://" + host + ":" + running.port()
                        + " (ipc: " + running.ipcProvider() + ")");
                out.flush();
            });
            dispatcher.build().run();
            return 0;
        } catch (RuntimeException e) {
            err.println(NAME + ": cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }

    private static int runSimple(Options options, PrintStream out, PrintStream err) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory(NAME + "-");
        } catch (IOException e) {
            err.println(NAME + ": cannot create a temporary directory: " + e);
            return 1;
        }
        // Deleted when run() returns, and by a hook if the JVM exits another way (System.exit, a failure).
        Thread cleanup = new Thread(() -> deleteRecursively(scratch), NAME + "-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Path staticDir = scratch.resolve("static");
            SimpleExample.extractStaticFiles(staticDir);
            Path dataDir = options.dataDir() != null ? options.dataDir() : scratch.resolve("data");
            Files.createDirectories(dataDir);
            Path filesDir = scratch.resolve("files");
            SimpleExample.createFiles(filesDir);
            DispatcherBuilder dispatcher = SimpleExample.dispatcher(staticDir,
                    dataDir.resolve(SimpleExample.DATABASE_FILE), filesDir);
            dispatcher.port(options.port()).address(options.address());
            options.pools().applyTo(dispatcher);
            options.logs().applyTo(dispatcher);
            options.scaleOut().applyTo(dispatcher);
            dispatcher.trustedProxies(options.trustedProxies().toArray(String[]::new));
            if (options.adminPort() >= 0) {
                dispatcher.listener(SimpleDispatcher.ADMIN, "127.0.0.1", options.adminPort());
                SimpleDispatcher.adminOnly(dispatcher);
            }
            if (options.ipc() != null) {
                dispatcher.ipc(options.ipc());
            }
            dispatcher.onStart(running -> {
                String host = options.address().contains(":") ? "[" + options.address() + "]" : options.address();
                out.println(NAME + ": simple example listening on http://" + host + ":" + running.port()
                        + " (ipc: " + running.ipcProvider() + ")");
                if (options.adminPort() >= 0) {
                    out.println(NAME + ": admin routes (/health, /admin/**) on http://127.0.0.1:"
                            + running.port(SimpleDispatcher.ADMIN));
                }
                out.flush();
            });
            dispatcher.build().run();
            return 0;
        } catch (IOException | RuntimeException e) {
            // Bad configuration, a port in use, an unknown WORKERS_IPC: the message says which.
            err.println(NAME + ": cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        } finally {
            deleteRecursively(scratch);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (and finds nothing left)
            }
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println(NAME + ": could not delete " + root + ": " + e);
        }
    }
}
