package dev.uhttp.workers.ipc.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcProtocolException;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link IpcProvider} must do, checked against a real child JVM ({@link EchoChild}) without the
 * worker runtime: round trips (up to a 16 MiB body), back-pressure and {@code onDrained}, closing from
 * either side, a protocol error, sends before {@code start}, encode failures, and discovery through
 * {@link java.util.ServiceLoader}. A provider's test class extends this and adds what is specific to it.
 */
public abstract class IpcProviderContract {

    protected static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    protected Path tmp;

    /** What the provider reported, as {@code LEVEL text}. */
    protected final List<String> diagnostics = new CopyOnWriteArrayList<>();

    /** A server's options on the test loop, its log going to {@link #diagnostics}. */
    protected IpcServer.Options options() {
        return new IpcServer.Options(new FrameCodec(), loop.loop, (level, logger, message, args) ->
                diagnostics.add(level + " " + dev.uhttp.workers.api.Logger.format(message, args)));
    }
    private final List<Child> children = new ArrayList<>();
    protected LoopThread loop;
    protected IpcServer server;

    /** A new instance of the provider under test. */
    protected abstract IpcProvider provider();

    /** The name {@link IpcProviders#select} knows it by. */
    protected abstract String expectedName();

    /** The priority it declares. */
    protected abstract int expectedPriority();

    /** Launches (but does not start) a child that writes bytes that are no frame onto its channel's stream. */
    protected abstract Child launchGarbageWriter() throws Exception;

    /** Called once the garbage writer's channel is started: whatever makes it write (nothing by default). */
    protected void provokeGarbage(Child c) throws Exception {
    }

    /** Called after each test once the server is closed, to check what it should have cleaned up. */
    protected void afterServerClosed() throws Exception {
    }

    @BeforeEach
    void openServer() throws Exception {
        loop = new LoopThread();
        server = provider().openServer(options());
    }

    @AfterEach
    void closeChildrenAndServer() throws Exception {
        try {
            for (Child c : children) {
                c.channel.close();
                await().atMost(PATIENCE).until(() -> !c.process.isAlive());
                c.assertNoWarnings();
            }
            assertEquals(List.of(), loop.errors);
        } finally {
            children.forEach(c -> c.process.destroyForcibly());
            server.close();
            loop.close();
        }
        afterServerClosed();
    }

    /** Launches an {@link EchoChild}; it is closed, awaited and checked for warnings after the test. */
    protected Child launch() throws Exception {
        return launch(EchoChild.class);
    }

    /** Launches {@code main} in a child JVM; it is closed, awaited and checked for warnings after the test. */
    protected Child launch(Class<?> main) throws Exception {
        Child c = Child.launch(server, main, tmp);
        children.add(c);
        return c;
    }

    /** Starts the child's channel on the loop with a new {@link Recorder}. */
    protected Recorder start(Child c) throws Exception {
        Recorder r = new Recorder(loop);
        loop.run(() -> {
            c.channel.start(loop.loop, r);
            return null;
        });
        return r;
    }

    /** Sends {@code message} to the child from the loop thread. */
    protected void send(Child c, Message message) throws Exception {
        loop.run(() -> {
            c.channel.send(message);
            return null;
        });
    }

    /**
     * From the loop: holds the child's loop (request 0, {@code /hold} until {@code release} exists), then
     * sends {@code count} echo requests (ids 1..count) of {@code bodyBytes} each; returns the bytes still
     * pending on our side.
     */
    protected long holdThenSend(Child c, Path release, int count, int bodyBytes) throws Exception {
        return loop.call(() -> {
            c.channel.send(request(0, "/hold", release.toString().getBytes(StandardCharsets.UTF_8)));
            for (int i = 1; i <= count; i++) {
                c.channel.send(request(i, "/echo", new byte[bodyBytes]));
            }
            return c.channel.pendingBytes();
        });
    }

    protected static Message.Request request(long id, String path, byte[] body) {
        return new Message.Request(id, "POST", path, "", new String[] {"Host", "test"}, body, "127.0.0.1", 1, false);
    }

    @Test
    void isFoundByServiceLoaderAndSelectedByName() {
        IpcProvider found = IpcProviders.select(expectedName());
        assertInstanceOf(provider().getClass(), found);
        assertEquals(expectedPriority(), found.priority());
        assertTrue(found.isAvailable());
    }

    @Test
    void manyRoundTripsIncludingASixteenMebibyteBody() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        Random random = new Random(7);
        Map<Long, byte[]> sent = new HashMap<>();
        loop.run(() -> {
            for (long id = 1; id <= 500; id++) {
                byte[] body = new byte[random.nextInt(id % 50 == 0 ? 200_000 : 200)];
                random.nextBytes(body);
                sent.put(id, body);
                c.channel.send(request(id, "/echo", body));
            }
            byte[] big = new byte[16 << 20];
            random.nextBytes(big);
            sent.put(501L, big);
            c.channel.send(request(501, "/big", big));
            return null;
        });
        await().atMost(PATIENCE).until(() -> r.responses().size() == sent.size());
        for (Message.Response response : r.responses()) {
            assertEquals(200, response.status());
            assertArrayEquals(sent.get(response.id()), response.body(), "body of " + response.id());
        }
        assertEquals(List.of(), r.offLoop);
        assertTrue(c.channel.isOpen());
    }

    /**
     * Large frames (read in part in place, their start through a short read while pieces come) mixed
     * with runs of small ones, all sent at once so that reads end anywhere: each arrives whole, in order.
     */
    @Test
    void largeAndSmallFramesInterleavedArriveWhole() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        Random random = new Random(2121);
        int[] sizes = {64 * 1024, 64 * 1024 + 1, 10, 0, 64 * 1024 - 40, 200_000, 3, 1500, 2048, 70_000};
        Map<Long, byte[]> sent = new HashMap<>();
        loop.run(() -> {
            for (long id = 1; id <= 300; id++) {
                int size = id % 7 == 0 ? random.nextInt(140_000) : sizes[(int) (id % sizes.length)];
                byte[] body = new byte[size];
                random.nextBytes(body);
                sent.put(id, body);
                c.channel.send(request(id, "/echo", body));
            }
            return null;
        });
        await().atMost(PATIENCE).until(() -> r.responses().size() == sent.size());
        long expected = 1;
        for (Message.Response response : r.responses()) {
            assertEquals(expected++, response.id(), "in order");
            assertArrayEquals(sent.get(response.id()), response.body(), "body of " + response.id());
        }
        assertTrue(c.channel.isOpen());
    }

    @Test
    void backPressureShowsInPendingBytesAndDrainIsReported() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        Path release = tmp.resolve("release");
        int count = 40;
        holdThenSend(c, release, count, 1 << 20);
        // The child's loop is held, so it stops reading and the backlog stays on our side.
        await().atMost(PATIENCE).until(() -> loop.call(c.channel::pendingBytes) > 8L << 20);
        Files.createFile(release);
        await().atMost(PATIENCE).until(() -> r.responses().size() == count + 1);
        await().atMost(PATIENCE).until(() -> r.drained.get() >= 1);
        assertEquals(0L, loop.call(c.channel::pendingBytes));
        assertEquals(List.of(), r.offLoop);
    }

    /**
     * Small frames to a child that reads nothing: sending from the loop must never wait for the child
     * (the pipe provider writes small frames on the sending thread only while the child has provably
     * read all but a page). Many thousands of them fill the OS buffer and the child's inbox; the loop
     * stays free, and once the child reads again every request is answered, in order.
     */
    @Test
    void smallFramesToAChildThatReadsNothingNeverHoldTheLoop() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        Path release = tmp.resolve("release-small");
        int count = 30_000;
        long pending = holdThenSend(c, release, count, 64);
        // Had a send waited for the child, the loop would still be inside it (call() gives up after 60 s).
        assertTrue(pending > 0, "some frames wait on our side while the child reads nothing");
        assertTrue(loop.call(() -> true), "the loop runs other tasks while the child reads nothing");
        Files.createFile(release);
        await().atMost(PATIENCE).until(() -> r.responses().size() == count + 1);
        List<Long> order = r.responses().stream().map(Message.Response::id).toList();
        for (int i = 1; i < order.size(); i++) {
            assertEquals(order.get(i - 1) + 1, order.get(i), "answers in the order sent");
        }
        assertEquals(List.of(), r.offLoop);
    }

    @Test
    void channelClosesCleanlyWhenTheChildExits() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        send(c, request(1, "/exit", new byte[0]));
        await().atMost(PATIENCE).until(() -> r.closed.get() == 1);
        assertNull(r.cause.get());
        assertEquals(3, c.process.waitFor());
        assertFalse(c.channel.isOpen());
        assertEquals(List.of(), r.offLoop);
    }

    @Test
    void childExitsWhenTheDispatcherSideCloses() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        send(c, request(1, "/echo", new byte[] {1}));
        await().atMost(PATIENCE).until(() -> r.responses().size() == 1);
        loop.run(() -> {
            c.channel.close();
            c.channel.close(); // idempotent
            return null;
        });
        await().atMost(PATIENCE).until(() -> !c.process.isAlive());
        assertEquals(0, c.process.exitValue());
        await().atMost(PATIENCE).until(() -> r.closed.get() == 1);
        assertNull(r.cause.get());
        assertEquals(1, r.closed.get());
    }

    @Test
    void garbageFromTheChildIsAProtocolErrorThatClosesTheChannel() throws Exception {
        Child c = launchGarbageWriter();
        Recorder r = start(c);
        provokeGarbage(c);
        await().atMost(PATIENCE).until(() -> r.closed.get() == 1);
        assertInstanceOf(IpcProtocolException.class, r.cause.get());
        assertFalse(c.channel.isOpen());
        // Closing our side ends the child too.
        await().atMost(PATIENCE).until(() -> !c.process.isAlive());
        assertEquals(1, r.closed.get());
    }

    @Test
    void sendsBeforeStartAreDelivered() throws Exception {
        Child c = launch();
        c.channel.send(request(5, "/early", new byte[] {5}));
        Recorder r = start(c);
        await().atMost(PATIENCE).until(() -> r.responses().size() == 1);
        assertEquals(5, r.responses().get(0).id());
    }

    /** An outgoing message that cannot be encoded is the sender's error: it throws, the channel stays open. */
    @Test
    void aMessageThatCannotBeEncodedThrowsAndTheChannelStaysOpen() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> send(c, request(1, "/echo", new byte[FrameCodec.DEFAULT_MAX_FRAME])));
        assertInstanceOf(IpcProtocolException.class, tooLarge.getCause());
        assertThrows(IllegalArgumentException.class,
                () -> send(c, new Message.Config(Map.of("unsendable", new Object()))));
        assertTrue(loop.call(c.channel::isOpen));
        assertEquals(0L, loop.call(c.channel::pendingBytes));
        send(c, request(2, "/echo", new byte[] {7}));
        await().atMost(PATIENCE).until(() -> r.responses().size() == 1);
        assertEquals(2, r.responses().get(0).id());
        assertArrayEquals(new byte[] {7}, r.responses().get(0).body());
        assertEquals(0, r.closed.get());
        assertTrue(c.channel.isOpen());
    }
}
