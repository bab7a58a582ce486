package dev.uhttp.workers.worker.it;

import static org.awaitility.Awaitility.await;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import dev.uhttp.workers.ipc.testing.LoopThread;
import dev.uhttp.workers.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Plays the dispatcher for one worker JVM: runs a {@link SelectorLoop} on its own thread ({@link LoopThread}
 * from the IPC providers' shared test fixtures), opens the
 * provider's server, launches {@code WorkerMain} on this JVM's class path, sends {@code Init}, and
 * records every message the worker sends.
 */
final class WorkerHarness implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final String provider;
    private final LoopThread loopThread;
    private final SelectorLoop loop;
    private final IpcServer server;
    private final Path stderr;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1);
    private final CompletableFuture<IOException> closed = new CompletableFuture<>();
    private volatile IpcChannel channel;
    private volatile Process process;

    private WorkerHarness(String provider) throws IOException {
        this.provider = provider;
        this.loopThread = new LoopThread();
        this.loop = loopThread.loop;
        IpcProvider p = IpcProviders.select(provider);
        FrameCodec codec = new FrameCodec();
        this.server = onLoop(() -> p.openServer(new IpcServer.Options(codec, loop,
                (level, logger, message, args) -> System.err.println(dev.uhttp.workers.api.Logger.format(message, args)))));
        this.stderr = Files.createTempFile("worker-stderr", ".txt");
    }

    /** Launches {@code workerClass} and sends it {@code Init}. */
    static WorkerHarness launch(String provider, Class<?> workerClass, int concurrency, long heartbeatMillis,
                                Map<String, Object> kwargs) throws IOException {
        WorkerHarness h = new WorkerHarness(provider);
        h.start(new Message.Init("test", 3, workerClass.getName(), kwargs, LogLevel.DEBUG.value(),
                heartbeatMillis, concurrency, "{pool_name}[{worker_id}]"));
        return h;
    }

    private void start(Message.Init init) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", classPath,
                WorkerMain.class.getName());
        IpcServer.Launch launch = onLoop(() -> server.prepare(pb));
        pb.redirectError(stderr.toFile()); // after prepare: to check the worker JVM prints no warnings
        process = pb.start();
        channel = onLoop(() -> {
            IpcChannel c = launch.attach(process);
            c.start(loop, new IpcChannel.Listener() {
                @Override
                public void onMessage(Message message) {
                    received.add(message);
                }

                @Override
                public void onClosed(IOException cause) {
                    closed.complete(cause);
                }
            });
            c.send(init);
            return c;
        });
    }

    private <T> T onLoop(Callable<T> task) throws IOException {
        try {
            return loopThread.call(task);
        } catch (Exception e) {
            throw new IOException("harness loop task failed", e);
        }
    }

    // ------------------------------------------------------------------ driving the worker

    void send(Message message) {
        loop.execute(() -> channel.send(message));
    }

    /** Sends a request and returns its id without waiting. */
    long sendRequest(String method, String path, String query, String[] headers, byte[] body) {
        long id = ids.getAndIncrement();
        send(new Message.Request(id, method, path, query, headers, body, "127.0.0.1", 40000 + (int) id, false));
        return id;
    }

    /** Sends a request and waits for its response. */
    Message.Response request(String method, String path, String query, String[] headers, String body) {
        long id = sendRequest(method, path, query, headers, body.getBytes(StandardCharsets.UTF_8));
        return response(id);
    }

    Message.Response get(String path) {
        return request("GET", path, "", new String[0], "");
    }

    Message.Response response(long id) {
        return awaitMessage(Message.Response.class, r -> r.id() == id);
    }

    /** Waits for the first message (of all received so far and to come) of {@code type} matching {@code test}. */
    <T extends Message> T awaitMessage(Class<T> type, Predicate<T> test) {
        return await().atMost(TIMEOUT).until(() -> find(type, test), found -> found != null);
    }

    <T extends Message> T find(Class<T> type, Predicate<T> test) {
        for (Message m : received) {
            if (type.isInstance(m) && test.test(type.cast(m))) {
                return type.cast(m);
            }
        }
        return null;
    }

    /** Every message received so far, in arrival order. */
    List<Message> received() {
        return new ArrayList<>(received);
    }

    Message.Log awaitLog(Predicate<String> message) {
        return awaitMessage(Message.Log.class, l -> message.test(l.message()));
    }

    Message.Ready awaitReady() {
        return awaitMessage(Message.Ready.class, r -> true);
    }

    Process process() {
        return process;
    }

    boolean channelClosed() {
        return closed.isDone();
    }

    void closeChannel() throws IOException {
        onLoop(() -> {
            channel.close();
            return null;
        });
    }

    /** Waits for the worker process to exit and returns its status. */
    int awaitExit() {
        await().atMost(TIMEOUT).until(() -> !process.isAlive());
        return process.exitValue();
    }

    /** What the worker JVM wrote to stderr. */
    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.onExit().join();
            }
            onLoop(() -> {
                if (channel != null) {
                    channel.close();
                }
                server.close();
                return null;
            });
        } finally {
            try {
                loopThread.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Whatever the loop reported (handler, task and timer failures), for the test's output.
            loopThread.errors.forEach(Throwable::printStackTrace);
            new File(stderr.toString()).delete();
        }
    }
}
