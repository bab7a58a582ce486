package dev.uhttp.workers.ipc.unixsocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.testing.Child;
import dev.uhttp.workers.ipc.testing.EchoChild;
import dev.uhttp.workers.ipc.testing.IpcProviderContract;
import dev.uhttp.workers.ipc.testing.Recorder;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Unix socket provider against a real child JVM ({@link EchoChild}), without the worker runtime: the
 * shared {@link IpcProviderContract} plus what is particular to sockets (the private socket directory,
 * per-launch secrets, foreign and silent peers, workers that never connect).
 */
class UnixSocketIpcProviderTest extends IpcProviderContract {

    @Override
    protected IpcProvider provider() {
        return new UnixSocketIpcProvider();
    }

    @Override
    protected String expectedName() {
        return "unixsocket";
    }

    @Override
    protected int expectedPriority() {
        return 20;
    }

    /** The child's stdout is not the channel here, so {@link RawChild} writes the bad frame onto the socket. */
    @Override
    protected Child launchGarbageWriter() throws Exception {
        return launch(RawChild.class);
    }

    @Override
    protected void afterServerClosed() {
        assertFalse(Files.exists(((UnixSocketServer) server).directory()), "socket directory removed");
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
        await().atMost(PATIENCE).until(() -> diagnostics.stream().anyMatch(d -> d.startsWith("WARNING ") && d.contains("wrong secret")));
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
        send(c, request(1, "/echo", new byte[] {42}));
        await().atMost(PATIENCE).until(() -> r.responses().size() == 1);
        assertArrayEquals(new byte[] {42}, r.responses().get(0).body());
        wrongSecret.close();
        badMagic.close();
    }

    @Test
    void aWorkerSecretIsGoodForOneConnectionOnly() throws Exception {
        Child c = launch();
        Recorder r = start(c);
        send(c, request(1, "/echo", new byte[] {1}));
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
        try (IpcServer quick = new UnixSocketServer(options(), 200)) {
            SocketChannel silent = foreign(((UnixSocketServer) quick).socketPath(), ByteBuffer.allocate(0));
            await().atMost(PATIENCE).until(() -> closedByServer(silent));
            assertTrue(diagnostics.stream().anyMatch(d -> d.contains("no preamble within 200 ms")), diagnostics::toString);
            silent.close();
        }
    }

    @Test
    void aWorkerThatExitsBeforeConnectingClosesItsChannel() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version");
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
                "-version").redirectErrorStream(true)
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
}
