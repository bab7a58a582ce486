package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcProtocolException;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import dev.uhttp.workers.worker.encoding.ResponseEncoder.Encoded;
import dev.uhttp.workers.worker.request.WorkerRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs the framework's own request path once (request parsing, JSON both ways, response encoding, the
 * frame codec) so that the first real request after a (re)start does not pay for loading those
 * classes (0.3 to 0.7 s, most of it Jackson). No user code runs here.
 *
 * <p>{@link #start} runs it on a thread of its own as soon as the JVM is up, so that it overlaps
 * connecting, {@code Init} and the user's {@code setup()}; the runtime {@link #await awaits} it before
 * it reports Ready. {@link #train} is the dispatcher's class-data training run: the same work, plus the
 * classes a worker loads to connect, then the JVM exits and dumps what it loaded.
 */
public final class WarmUp {
    private static volatile Thread thread;

    private WarmUp() {
    }

    /** Starts the warm-up on a daemon thread. */
    public static void start() {
        Thread t = new Thread(WarmUp::run, "uhttp-worker-warm-up");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Waits for {@link #start}'s warm-up, if one was started (at most 10 s: it does no I/O). */
    static void await() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Below this much heap in use, {@link #collectStartupGarbage} collects (a full GC of it takes milliseconds). */
    static final long SMALL_HEAP_BYTES = 64L << 20;

    /**
     * Once, before the worker reports Ready: a full collection when the heap in use is small, so that an
     * idle worker's footprint is its live data rather than the garbage of starting (class loading,
     * Jackson, the warm-up): with the JVM's default G1 and its initial heap of 1/64 of RAM, the young
     * generation fills with that garbage and stays resident (73 MiB for an idle worker on a 24 GiB
     * machine); after the collection G1 also returns the unused heap to the OS (57 MiB). It takes about
     * 25 ms. Skipped for a heap that {@code setup()} filled (a loaded model: collecting it would delay
     * Ready for nothing), and a no-op under {@code -XX:+DisableExplicitGC}.
     */
    static void collectStartupGarbage() {
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() < SMALL_HEAP_BYTES) {
            System.gc();
        }
    }

    /**
     * The class-data training run: the warm-up, the IPC providers, a selector loop and the worker
     * class (loaded, not initialised: no user code runs). Returns the exit status.
     */
    public static int train(String workerClass) {
        run();
        IpcProviders.all();
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) -> { })) {
            loop.bindToCurrentThread();
            loop.runOnce(0);
        } catch (IOException e) {
            return 1;
        }
        if (workerClass != null && !workerClass.isEmpty()) {
            try {
                WorkerClasses.load(workerClass);
            } catch (ClassNotFoundException | LinkageError e) {
                return 1;
            }
        }
        return 0;
    }

    static void run() {
        try {
            WorkerRequest request = new WorkerRequest(0, "POST", "/", "a=1&b=%20", new String[] {
                    "Content-Type", "application/json", "Cookie", "c=1"},
                    "{\"k\":[1,\"v\",true,null,1.5]}".getBytes(StandardCharsets.UTF_8), "127.0.0.1", 0, false);
            request.query();
            request.cookies();
            Object json = request.json();
            Encoded e = ResponseEncoder.encode(Map.of("warm", json, "list", List.of(1, "x")));
            FrameCodec codec = new FrameCodec();
            roundTrip(codec, new Message.Response(0, e.status(), e.headers(), e.body()));
            roundTrip(codec, new Message.Ready(0, 1));
        } catch (RuntimeException | IOException ignored) {
            // Only a warm-up: the real requests report their own problems.
        }
    }

    private static void roundTrip(FrameCodec codec, Message m) throws IpcProtocolException {
        ByteBuffer frame = codec.encode(m);
        codec.decode(frame.array(), 4, frame.remaining() - 4);
    }
}
