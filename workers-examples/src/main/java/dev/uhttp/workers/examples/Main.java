package dev.uhttp.workers.examples;

import dev.uhttp.workers.examples.simple.SimpleDispatcher;
import dev.uhttp.workers.examples.simple.SimpleExample;
import dev.uhttp.workers.examples.sse.SseDispatcher;
import dev.uhttp.workers.examples.sse.SseExample;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code workers-example} launcher:
 *
 * <pre>
 * workers-example [--example simple|sse] [--port N] [--address A] [--ipc pipe|unixsocket] [--data-dir DIR]
 *                 [--max-requests N] [--max-requests-jitter J] [--max-age SECONDS] [--spares K] [--help]
 * </pre>
 *
 * It prints one line on standard output once it listens, logs to standard error, and runs until
 * SIGTERM or SIGINT (Ctrl-C), then stops gracefully and exits 0; SIGHUP replaces every worker (rolling). Exit status 2 for bad arguments,
 * 1 when it cannot start.
 */
public final class Main {
    static final String NAME = "workers-example";
    static final Set<String> EXAMPLES = Set.of("simple", "sse");
    static final Set<String> PROVIDERS = Set.of("pipe", "unixsocket");

    static final String USAGE = """
            usage: workers-example [--example simple|sse] [--port N] [--address A] [--ipc pipe|unixsocket]
                                   [--data-dir DIR] [--max-requests N] [--max-requests-jitter J]
                                   [--max-age SECONDS] [--spares K] [--admin-port N]
                                   [--trusted-proxy CIDR]... [--access-log PATH]
                                   [--access-log-format combined|json] [--slow-request-ms N] [--help]

              --example NAME   the example to run: simple (default), sse (server-sent events)
              --port N         the port to listen on, 0 for any free port (default 8080)
              --address A      the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --ipc NAME       how the dispatcher talks to its workers: pipe or unixsocket (default: the
                               system property workers.ipc, else the environment variable WORKERS_IPC,
                               else the best available)
              --data-dir DIR   where the storage workers keep their SQLite database (default: a fresh
                               temporary directory, deleted on exit)
              --max-requests N         recycle each worker after N requests (default 0: never)
              --max-requests-jitter J  draw each worker's limit in [N, N+J] (default 0)
              --max-age SECONDS        recycle each worker after this long (default 0: never)
              --spares K               keep K spare workers per pool, started and ready (default 0)
              --admin-port N           serve /health, /admin/** and /metrics only on 127.0.0.1:N (simple example)
              --trusted-proxy CIDR     a proxy whose X-Forwarded-For/Forwarded is believed (repeatable)
              --access-log PATH        append an access log to PATH (reopened on SIGUSR1, for logrotate)
              --access-log-format F    combined (nginx's, the default) or json (one object per line)
              --slow-request-ms N      log the stack of a handler running longer than N ms (default 0: never)
              --help           print this help and exit

            Stop it with Ctrl-C or SIGTERM: pending requests are answered, then the workers stop.
            SIGHUP replaces every worker, one at a time, without failing a request.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The parsed command line. */
    record Options(String example, int port, String address, String ipc, Path dataDir, PoolOptions pools,
                   int adminPort, List<String> trustedProxies, boolean help, LogOptions logs) {

        static Options parse(String... args) {
            String example = "simple";
            int port = 8080;
            String address = "127.0.0.1";
            String ipc = null;
            Path dataDir = null;
            long maxRequests = 0;
            long jitter = 0;
            long maxAge = 0;
            int spares = 0;
            int adminPort = -1;
            List<String> proxies = new ArrayList<>();
            boolean help = false;
            Path accessLog = null;
            dev.uhttp.workers.dispatcher.AccessLogFormat accessLogFormat = LogOptions.NONE.accessLogFormat();
            long slowRequestMs = 0;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "--help", "-h" -> {
                        if (value != null) {
                            throw new IllegalArgumentException("--help takes no value");
                        }
                        help = true;
                    }
                    case "--example", "--port", "--address", "--ipc", "--data-dir", "--max-requests",
                         "--max-requests-jitter", "--max-age", "--spares", "--admin-port", "--trusted-proxy",
                         "--access-log", "--access-log-format", "--slow-request-ms" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(arg + " needs a value");
                            }
                            value = args[++i];
                        }
                        switch (arg) {
                            case "--example" -> example = oneOf(arg, value, EXAMPLES);
                            case "--port" -> port = port(arg, value);
                            case "--address" -> address = nonEmpty(arg, value);
                            case "--ipc" -> ipc = oneOf(arg, value, PROVIDERS);
                            case "--max-requests" -> maxRequests = count(arg, value);
                            case "--max-requests-jitter" -> jitter = count(arg, value);
                            case "--max-age" -> maxAge = count(arg, value);
                            case "--spares" -> spares = (int) Math.min(count(arg, value), 64);
                            case "--admin-port" -> adminPort = port(arg, value);
                            case "--trusted-proxy" -> proxies.add(nonEmpty(arg, value));
                            case "--access-log" -> accessLog = Path.of(nonEmpty(arg, value));
                            case "--access-log-format" -> accessLogFormat = LogOptions.format(arg, value);
                            case "--slow-request-ms" -> slowRequestMs = count(arg, value);
                            default -> dataDir = Path.of(nonEmpty(arg, value));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            return new Options(example, port, address, ipc, dataDir, new PoolOptions(maxRequests, jitter, maxAge, spares),
                    adminPort, List.copyOf(proxies), help, new LogOptions(accessLog, accessLogFormat, slowRequestMs));
        }

        private static long count(String option, String value) {
            try {
                long n = Long.parseLong(value);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + " must be a number of at least 0, not '" + value + "'");
        }

        private static String oneOf(String option, String value, Set<String> allowed) {
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                        + ", not '" + value + "'");
            }
            return value;
        }

        private static int port(String option, String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + " must be a number from 0 to 65535, not '" + value + "'");
        }

        private static String nonEmpty(String option, String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " must not be empty");
            }
            return value;
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
            return runSse(options, err);
        }
        return runSimple(options, err);
    }

    private static int runSse(Options options, PrintStream err) {
        try {
            SseDispatcher dispatcher = SseExample.dispatcher(options.port(), options.address(), options.ipc());
            options.pools().applyTo(dispatcher);
            options.logs().applyTo(dispatcher);
            dispatcher.trustedProxies(options.trustedProxies().toArray(String[]::new));
            // Where it listens: the dispatcher's own line, one per listener (nothing on stdout).
            dispatcher.run();
            return 0;
        } catch (RuntimeException e) {
            err.println(NAME + ": cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }

    private static int runSimple(Options options, PrintStream err) {
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
            SimpleDispatcher dispatcher = SimpleExample.dispatcher(staticDir, dataDir.resolve(SimpleExample.DATABASE_FILE),
                    filesDir);
            dispatcher.port(options.port()).address(options.address());
            options.pools().applyTo(dispatcher);
            options.logs().applyTo(dispatcher);
            dispatcher.trustedProxies(options.trustedProxies().toArray(String[]::new));
            if (options.adminPort() >= 0) {
                dispatcher.listener(SimpleDispatcher.ADMIN, "127.0.0.1", options.adminPort());
                dispatcher.adminOnly(true);
                dispatcher.metricsRoute("/metrics", SimpleDispatcher.ADMIN); // with /health's details, not public
            }
            if (options.ipc() != null) {
                dispatcher.ipc(options.ipc());
            }
            // Where it listens: the dispatcher's own line, one per listener (nothing on stdout).
            dispatcher.run();
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
