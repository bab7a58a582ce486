package dev.uhttp.workers.cluster.redis;

import static org.awaitility.Awaitility.await;

import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} (Debian's) on a free loopback port, for tests: started, SIGKILLed, and
 * started again on the same port. No persistence; the log goes to a file in {@code dir}.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    /** A server with {@code extraArgs} added to its command line (e.g. {@code --user alice on >pw ~* &* +@all}). */
    public RedisServer(Path dir, String... extraArgs) throws IOException {
        this.dir = dir;
        this.extraArgs = List.of(extraArgs);
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again) and waits until it accepts connections. */
    public RedisServer start() throws IOException {
        boolean tls = extraArgs.contains("--tls-cert-file");
        List<String> command = new ArrayList<>(List.of(RequiredTool.require("redis-server", "redis-server").toString(), "--port", tls ? "0" : Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--logfile", dir.resolve("redis-" + port + ".log").toString()));
        if (tls) {
            command.addAll(List.of("--tls-port", Integer.toString(port)));
        }
        command.addAll(extraArgs);
        Files.createDirectories(dir);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + ".out").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis-" + port + ".out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
