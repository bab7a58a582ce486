package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code workers-example} process under test (the image's launcher, or {@code java} with a module
 * or class path): its standard output is read for the one "listening" line, its standard error goes to
 * {@code target/it-logs/<name>.log}.
 */
final class ExampleProcess implements AutoCloseable {
    /** The dispatcher's line for its port (in the log: standard error), naming the IPC provider. */
    static final Pattern LISTENING = Pattern.compile("dispatcher: listening on (http://\\S+) \\(([\\w-]+) IPC\\)");
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path log;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<Long> knownWorkerPids = new CopyOnWriteArrayList<>();
    private volatile URI base;
    private volatile String ipc;

    private ExampleProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::readStdout, "stdout-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command}; {@code env} entries with a null value are removed from the environment. */
    static ExampleProcess start(String name, List<String> command, Map<String, String> env) {
        Path logs = Path.of(System.getProperty("examples.logs", "target/it-logs"));
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            Files.writeString(log, "$ " + String.join(" ", command) + System.lineSeparator());
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            env.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            return new ExampleProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                stdout.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Waits for the "listening" line and returns the base URI it names. */
    URI awaitListening() {
        await("'" + name + "' to log that it listens").atMost(START_TIMEOUT)
                .until(() -> listening() || !process.isAlive());
        if (base == null) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
            fail(name + " exited with status " + process.exitValue() + " before listening\n" + diagnostics());
        }
        return base;
    }

    /** Whether the log has the dispatcher's "listening" line; notes the base URI and IPC provider it names. */
    private boolean listening() throws IOException {
        Matcher m = LISTENING.matcher(Files.readString(log));
        if (base == null && m.find()) {
            ipc = m.group(2);
            base = URI.create(m.group(1));
        }
        return base != null;
    }

    /** The file with the process's standard error. */
    Path log() {
        return log;
    }

    URI base() {
        return base;
    }

    /** The IPC provider named in the "listening" line. */
    String ipc() {
        return ipc;
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Remembers worker pids, so that {@link #close()} can make sure none is left behind. */
    void rememberWorkerPids(List<Long> pids) {
        for (Long pid : pids) {
            if (!knownWorkerPids.contains(pid)) {
                knownWorkerPids.add(pid);
            }
        }
    }

    /** Sends signal {@code name} (e.g. {@code HUP}) to the process. */
    void signal(String name) {
        try {
            int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
            if (status != 0) {
                fail("kill -" + name + " " + process.pid() + " exited with " + status);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGTERM ({@link Process#destroy()}) and returns the exit status once it ended. */
    int terminate() {
        process.destroy();
        return awaitExit();
    }

    /** Waits for the process to end by itself and returns its exit status. */
    int awaitExit() {
        try {
            return process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            return fail(name + " did not stop within " + STOP_TIMEOUT + "\n" + diagnostics());
        }
    }

    /** The command, what it printed, and the end of its log, for failure messages. */
    String diagnostics() {
        StringBuilder sb = new StringBuilder();
        sb.append("--- stdout of ").append(name).append('\n');
        stdout.forEach(l -> sb.append(l).append('\n'));
        sb.append("--- stderr (").append(log).append(", last lines)\n");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> sb.append(l).append('\n'));
        } catch (IOException e) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /** Whether {@code p} runs a worker JVM (its command line names the worker's main class). */
    static boolean isWorkerJvm(ProcessHandle p) {
        return p.isAlive() && p.info().arguments().map(args -> String.join(" ", args).contains("WorkerMain"))
                .orElse(true);
    }

    /** Kills whatever is left: the process and any worker JVM seen. */
    @Override
    public void close() {
        List<ProcessHandle> left = new ArrayList<>();
        if (process.isAlive()) {
            process.descendants().forEach(left::add);
            process.destroyForcibly();
        }
        for (Long pid : knownWorkerPids) {
            // Only if it still is a worker JVM (pids get reused).
            ProcessHandle.of(pid).filter(ExampleProcess::isWorkerJvm).ifPresent(left::add);
        }
        left.forEach(ProcessHandle::destroyForcibly);
    }
}
