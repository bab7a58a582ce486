package dev.uhttp.workers.ipc.pipe;

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
import dev.uhttp.workers.ipc.testing.Child;
import dev.uhttp.workers.ipc.testing.EchoChild;
import dev.uhttp.workers.ipc.testing.LoopThread;
import dev.uhttp.workers.ipc.testing.Recorder;

/** The pipe provider against a real child JVM ({@link EchoChild}), without the worker runtime. */
class PipeIpcProviderTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final IpcProvider provider = new PipeIpcProvider();
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();
    private final List<Child> children = new ArrayList<>();
    private LoopThread loop;
    private IpcServer server;

    @BeforeEach
    void open() throws Exception {
        loop = new LoopThread();
        server = provider.openServer(new IpcServer.Options(new FrameCodec(), loop.loop, diagnostics::add));
    }

    @AfterEach
    void close() throws Exception {
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
    }

    private Child launch() throws Exception {
        Child c = Child.launch(server, EchoChild.class, tmp);
        children.add(c);
        return c;
    }

    private Recorder start(Child c) throws Exception {
        Recorder r = new Recorder(loop);
        loop.run(() -> {
            c.channel.start(loop.loop, r);
            return null;
        });
        return r;
    }

    private static Message.Request request(long id, String path, byte[] body) {
        return new Message.Request(id, "POST", path, "", new String[] {"Host", "test"}, body, "127.0.0.1", 1, false);
    }

    @Test
    void isFoundByServiceLoaderAndSelectedByName() {
        IpcProvider found = IpcProviders.select("pipe");
        assertInstanceOf(PipeIpcProvider.class, found);
        assertEquals(10, found.priority());
        assertTrue(found.isAvailable());
    }

    @Test
    void prepareSetsTheEnvironmentAndRedirects() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("true");
        server.prepare(pb).cancel();
        assertEquals("pipe", pb.environment().get("WORKERS_IPC"));
        assertEquals(ProcessBuilder.Redirect.PIPE, pb.redirectInput());
        assertEquals(ProcessBuilder.Redirect.PIPE, pb.redirectOutput());
        assertEquals(ProcessBuilder.Redirect.INHERIT, pb.redirectError());
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

    @Test
    void backPressureShowsInPendingBytesAndDrainIsReported() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        Path release = tmp.resolve("release");
        int count = 40;
        loop.run(() -> {
            c.channel.send(request(0, "/hold", release.toString().getBytes(StandardCharsets.UTF_8)));
            for (int i = 1; i <= count; i++) {
                c.channel.send(request(i, "/echo", new byte[1 << 20]));
            }
            return null;
        });
        // The child's loop is held, so it stops reading and the backlog stays on our side.
        await().atMost(PATIENCE).until(() -> loop.call(c.channel::pendingBytes) > 8L << 20);
        Files.createFile(release);
        await().atMost(PATIENCE).until(() -> r.responses().size() == count + 1);
        await().atMost(PATIENCE).until(() -> r.drained.get() >= 1);
        assertEquals(0L, loop.call(c.channel::pendingBytes));
        assertEquals(List.of(), r.offLoop);
    }

    @Test
    void channelClosesCleanlyWhenTheChildExits() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        loop.run(() -> {
            c.channel.send(request(1, "/exit", new byte[0]));
            return null;
        });
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
        loop.run(() -> {
            c.channel.send(request(1, "/echo", new byte[] {1}));
            return null;
        });
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
        Child c = launch();
        Recorder r = start(c);
        loop.run(() -> {
            c.channel.send(request(1, "/garbage", new byte[0]));
            return null;
        });
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
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class, () -> loop.run(() -> {
            c.channel.send(request(1, "/echo", new byte[FrameCodec.DEFAULT_MAX_FRAME]));
            return null;
        }));
        assertInstanceOf(IpcProtocolException.class, tooLarge.getCause());
        assertThrows(IllegalArgumentException.class, () -> loop.run(() -> {
            c.channel.send(new Message.Config(Map.of("unsendable", new Object())));
            return null;
        }));
        assertTrue(loop.call(c.channel::isOpen));
        assertEquals(0L, loop.call(c.channel::pendingBytes));
        loop.run(() -> {
            c.channel.send(request(2, "/echo", new byte[] {7}));
            return null;
        });
        await().atMost(PATIENCE).until(() -> r.responses().size() == 1);
        assertEquals(2, r.responses().get(0).id());
        assertArrayEquals(new byte[] {7}, r.responses().get(0).body());
        assertEquals(0, r.closed.get());
        assertTrue(c.channel.isOpen());
    }
}
