package dev.uhttp.workers.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The example's command line as picocli reads it (and writes {@code --help} from). Values are taken as
 * text and checked by {@link #toOptions()}, so that each bad value gets one line naming what is allowed.
 */
@Command(name = Main.NAME, sortOptions = false, usageHelpWidth = 100,
        description = "Runs an example application of uhttp-workers: a dispatcher and its pools of worker JVMs.",
        footer = {"", "Stop it with Ctrl-C or SIGTERM: pending requests are answered, then the workers stop (after the",
                "lame duck, when --lame-duck-ms is set). SIGHUP replaces every worker, one at a time, without failing",
                "a request."})
final class CommandLineOptions {
    static final Set<String> EXAMPLES = Set.of("simple", "sse");
    static final Set<String> PROVIDERS = Set.of("pipe", "unixsocket");

    @Option(names = "--example", paramLabel = "NAME", defaultValue = "simple",
            description = "the example to run: simple (default), sse (server-sent events)")
    String example;
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "the port to listen on, 0 for any free port (default 8080)")
    String port;
    @Option(names = "--address", paramLabel = "A", defaultValue = "127.0.0.1",
            description = "the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    String address;
    @Option(names = "--ipc", paramLabel = "NAME", description = "how the dispatcher talks to its workers: pipe or "
            + "unixsocket (default: the system property workers.ipc, else the environment variable WORKERS_IPC, else the best available)")
    String ipc;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the storage workers keep their SQLite "
            + "database (default: a fresh temporary directory, deleted on exit)")
    String dataDir;
    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "0",
            description = "recycle each worker after N requests (default 0: never)")
    String maxRequests;
    @Option(names = "--max-requests-jitter", paramLabel = "J", defaultValue = "0",
            description = "draw each worker's limit in [N, N+J] (default 0)")
    String maxRequestsJitter;
    @Option(names = "--max-age", paramLabel = "SECONDS", defaultValue = "0",
            description = "recycle each worker after this long (default 0: never)")
    String maxAge;
    @Option(names = "--spares", paramLabel = "K", defaultValue = "0",
            description = "keep K spare workers per pool, started and ready (default 0)")
    String spares;
    @Option(names = "--admin-port", paramLabel = "N",
            description = "serve /health and /admin/** only on 127.0.0.1:N (simple example)")
    String adminPort;
    @Option(names = "--trusted-proxy", paramLabel = "CIDR",
            description = "a proxy whose X-Forwarded-For/Forwarded is believed (repeatable)")
    List<String> trustedProxies = new ArrayList<>();
    @Option(names = "--access-log", paramLabel = "PATH",
            description = "append an access log to PATH (reopened on SIGUSR1, for logrotate)")
    String accessLog;
    @Option(names = "--access-log-format", paramLabel = "F", defaultValue = "combined",
            description = "combined (nginx's, the default) or json (one object per line)")
    String accessLogFormat;
    @Option(names = "--slow-request-ms", paramLabel = "N", defaultValue = "0",
            description = "log the stack of a handler running longer than N ms (default 0: never)")
    String slowRequestMs;
    @Option(names = "--redis", paramLabel = "URI", description = "join the other nodes through Redis pub/sub "
            + "(redis://[user:password@]host:port, rediss:// for TLS): a publish reaches every node's subscribers")
    String redis;
    @Option(names = "--node", paramLabel = "NAME",
            description = "this node's name, shown as \"node\" in /health and /health/ready (default: host name and pid)")
    String node;
    @Option(names = "--reuse-port", description = "share the port with other dispatchers on this machine (SO_REUSEPORT)")
    boolean reusePort;
    @Option(names = "--lame-duck-ms", paramLabel = "N", defaultValue = "0", description = "after SIGTERM, answer "
            + "/health/ready with 503 for N ms while serving every route, then shut down (default 0)")
    String lameDuckMs;
    @Option(names = {"--help", "-h"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    /** Reads {@code args}; a bad command line is an {@link IllegalArgumentException} with one line saying why. */
    static Main.Options parse(String... args) {
        CommandLineOptions o = new CommandLineOptions();
        try {
            new CommandLine(o).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return o.toOptions();
    }

    /** The usage text picocli writes from the annotations. */
    static String usage() {
        return new CommandLine(new CommandLineOptions()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private Main.Options toOptions() {
        String dir = dataDir == null ? null : nonEmpty("--data-dir", dataDir);
        return new Main.Options(oneOf("--example", example, EXAMPLES), port("--port", port), nonEmpty("--address", address),
                ipc == null ? null : oneOf("--ipc", ipc, PROVIDERS), dir == null ? null : Path.of(dir),
                new PoolOptions(count("--max-requests", maxRequests), count("--max-requests-jitter", maxRequestsJitter),
                        count("--max-age", maxAge), (int) Math.min(count("--spares", spares), 64)),
                adminPort == null ? -1 : port("--admin-port", adminPort),
                trustedProxies.stream().map(p -> nonEmpty("--trusted-proxy", p)).toList(), help,
                new LogOptions(accessLog == null ? null : Path.of(nonEmpty("--access-log", accessLog)),
                        LogOptions.format("--access-log-format", accessLogFormat), count("--slow-request-ms", slowRequestMs)),
                new ScaleOutOptions(redis == null ? null : redisUri(redis), node == null ? null : nonEmpty("--node", node),
                        reusePort, count("--lame-duck-ms", lameDuckMs)));
    }

    private static String redisUri(String value) {
        if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
            throw new IllegalArgumentException("--redis must be a redis:// or rediss:// URI, not '" + value + "'");
        }
        return value;
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
