package dev.uhttp.workers.ipc.unixsocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProtocolException;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.Message;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

/** The Unix socket provider against a real child JVM ({@link EchoChild}), without the worker runtime. */
class UnixSocketIpcProviderTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final IpcProvider provider = new UnixSocketIpcProvider();
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
        assertFalse(Files.exists(((UnixSocketServer) server).directory()), "socket directory removed");
    }

    private Child launch() throws Exception {
        return launch(EchoChild.class);
    }

    private Child launch(Class<?> main) throws Exception {
        Child c = Child.launch(server, main, tmp);
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
        IpcProvider found = IpcProviders.select("unixsocket");
        assertInstanceOf(UnixSocketIpcProvider.class, found);
        assertEquals(20, found.priority());
        assertTrue(found.isAvailable());
    }

    @Test
    void prepareSetsTheEnvironmentAndRedirects() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("true");
        server.prepare(pb).cancel();
        Map<String, String> env = pb.environment();
        assertEquals("unixsocket", env.get("WORKERS_IPC"));
        assertEquals(((UnixSocketServer) server).socketPath().toString(), env.get("WORKERS_IPC_SOCKET"));
        assertTrue(env.get("WORKERS_IPC_SECRET").matches("[0-9a-f]{64}"));
        assertEquals(List.of("true"), pb.command(), "the secret stays off the command line");
        assertEquals(ProcessBuilder.Redirect.PIPE, pb.redirectInput());
        assertEquals(ProcessBuilder.Redirect.INHERIT, pb.redirectOutput());
        assertEquals(ProcessBuilder.Redirect.INHERIT, pb.redirectError());

        ProcessBuilder other = new ProcessBuilder("true");
        server.prepare(other).cancel();
        assertNotEquals(env.get("WORKERS_IPC_SECRET"), other.environment().get("WORKERS_IPC_SECRET"));
    }

    @Test
    void socketDirectoryIsPrivateAndRemovedOnClose() throws Exception {
        Path dir = ((UnixSocketServer) server).directory();
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dir));
        assertTrue(Files.exists(((UnixSocketServer) server).socketPath()));
        server.close();
        assertFalse(Files.exists(dir));
    }

    @Test
    void foreignPeerWithoutTheSecretIsRefusedAndTheWorkerStillConnects() throws Exception {
        Path socket = ((UnixSocketServer) server).socketPath();
        // A peer that knows the socket but guesses the secret.
        SocketChannel wrongSecret = foreign(socket, Preamble.encode(Preamble.newSecret()));
        await().atMost(PATIENCE).until(() -> closedByServer(wrongSecret));
        await().atMost(PATIENCE).until(() -> diagnostics.stream().anyMatch(d -> d.contains("wrong secret")));
        // One that speaks another protocol.
        SocketChannel badMagic = foreign(socket, ByteBuffer.wrap(
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3).getBytes(StandardCharsets.US_ASCII)));
        await().atMost(PATIENCE).until(() -> closedByServer(badMagic));
        await().atMost(PATIENCE).until(() -> diagnostics.stream().anyMatch(d -> d.contains("bad preamble")));
        // One that hangs up half way.
        SocketChannel partial = foreign(socket, ByteBuffer.wrap(Preamble.MAGIC));
        partial.close();
        await().atMost(PATIENCE).until(() -> diagnostics.stream().anyMatch(d -> d.contains("closed the connection")));

        Child c = launch();
        Recorder r = start(c);
        loop.run(() -> {
            c.channel.send(request(1, "/echo", new byte[] {42}));
            return null;
        });
        await().atMost(PATIENCE).until(() -> r.responses().size() == 1);
        assertArrayEquals(new byte[] {42}, r.responses().get(0).body());
        wrongSecret.close();
        badMagic.close();
    }

    @Test
    void aWorkerSecretIsGoodForOneConnectionOnly() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        loop.run(() -> {
            c.channel.send(request(1, "/echo", new byte[] {1}));
            return null;
        });
        await().atMost(PATIENCE).until(() -> r.responses().size() == 1);
        String secret = c.environment.get("WORKERS_IPC_SECRET");
        SocketChannel replay = foreign(((UnixSocketServer) server).socketPath(),
                Preamble.encode(secret.getBytes(StandardCharsets.US_ASCII)));
        await().atMost(PATIENCE).until(() -> closedByServer(replay));
        await().atMost(PATIENCE).until(() -> diagnostics.stream().anyMatch(d -> d.contains("wrong secret")));
        replay.close();
    }

    @Test
    void aSilentPeerIsDroppedAfterTheHandshakeDeadline() throws Exception {
        try (IpcServer quick = new UnixSocketServer(new IpcServer.Options(new FrameCodec(), loop.loop,
                diagnostics::add), 200)) {
            SocketChannel silent = foreign(((UnixSocketServer) quick).socketPath(), ByteBuffer.allocate(0));
            await().atMost(PATIENCE).until(() -> closedByServer(silent));
            assertTrue(diagnostics.stream().anyMatch(d -> d.contains("no preamble within 200 ms")), diagnostics::toString);
            silent.close();
        }
    }

    @Test
    void aWorkerThatExitsBeforeConnectingClosesItsChannel() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmsgpack.universal-buffer=true", "-version");
        IpcServer.Launch launch = server.prepare(pb);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        IpcChannel channel = launch.attach(p);
        Recorder r = new Recorder(loop);
        loop.run(() -> {
            channel.start(loop.loop, r);
            return null;
        });
        await().atMost(PATIENCE).until(() -> r.closed.get() == 1);
        assertTrue(r.cause.get().getMessage().contains("before connecting"), r.cause.get()::getMessage);
    }

    @Test
    void closingTheServerFailsLaunchesThatNeverConnected() throws Exception {
        IpcServer.Launch launch = server.prepare(new ProcessBuilder("true"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmsgpack.universal-buffer=true", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        IpcChannel channel = launch.attach(p);
        server.close();
        Recorder r = new Recorder(loop);
        loop.run(() -> {
            channel.start(loop.loop, r);
            return null;
        });
        await().atMost(PATIENCE).until(() -> r.closed.get() == 1);
        assertTrue(r.cause.get().getMessage().contains("server closed"), r.cause.get()::getMessage);
        p.waitFor();
    }

    private static SocketChannel foreign(Path socket, ByteBuffer preamble) throws Exception {
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        s.connect(UnixDomainSocketAddress.of(socket));
        while (preamble.hasRemaining()) {
            s.write(preamble);
        }
        s.configureBlocking(false);
        return s;
    }

    /** Whether the server hung up (non-blocking: false while the connection is merely quiet). */
    private static boolean closedByServer(SocketChannel s) {
        try {
            return s.read(ByteBuffer.allocate(64)) < 0;
        } catch (IOException e) {
            return true;
        }
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
        Child c = launch(RawChild.class);
        Recorder r = start(c);
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
