package dev.uhttp.workers.ipc.unixsocket;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The dispatcher side of the Unix socket provider: one listening socket in a private (0700) directory,
 * accepting workers on the dispatcher's loop. Every accepted peer must run as our own user
 * ({@code SO_PEERCRED}) and present, within a deadline, the secret of a launch still waiting for its
 * worker; anything else is closed and reported through {@link Options#log()}.
 */
final class UnixSocketServer implements IpcServer {
    /** The logger name of the provider's records. */
    static final String LOGGER = "ipc";

    /** How long an accepted peer has to send its preamble. */
    static final long DEFAULT_HANDSHAKE_MILLIS = 10_000;
    /** Connections allowed to be in the middle of their handshake at once. */
    private static final int MAX_HANDSHAKES = 64;
    /** sun_path is 108 bytes on Linux, 104 on macOS; stay below both. */
    private static final int MAX_SOCKET_PATH = 100;

    private final Options options;
    private final EventLoop loop;
    private final long handshakeMillis;
    private final Path directory;
    private final Path socketPath;
    private final UserPrincipal owner;
    private final ServerSocketChannel server;
    /** Launches whose worker has not connected yet, with their secret (ASCII hex). */
    private final Map<UnixSocketChannel, byte[]> awaiting = new ConcurrentHashMap<>();
    private final Set<SocketChannel> handshaking = ConcurrentHashMap.newKeySet();
    private final AtomicLong launches = new AtomicLong();
    private volatile boolean closed;

    UnixSocketServer(Options options, long handshakeMillis) throws IOException {
        this.options = options;
        this.loop = options.loop();
        this.handshakeMillis = handshakeMillis;
        this.directory = createPrivateDirectory();
        this.socketPath = directory.resolve("ipc.sock");
        this.owner = Files.getOwner(directory);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            s.close();
            Files.deleteIfExists(directory);
            throw new IOException("cannot listen on " + socketPath + ": " + e.getMessage(), e);
        }
        this.server = s;
        if (loop.inEventLoop()) {
            listen();
        } else {
            loop.execute(() -> {
                try {
                    listen();
                } catch (IOException e) {
                    report("unixsocket IPC: cannot register the listening socket {}: {}", socketPath, e);
                }
            });
        }
    }

    /** Created with mode 0700 from the start: no window in which others could enter it. */
    private static Path createPrivateDirectory() throws IOException {
        var attribute = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path dir = Files.createTempDirectory("uhttp-workers-", attribute);
        if (dir.resolve("ipc.sock").toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return dir;
        }
        // A long java.io.tmpdir (macOS, containers) would not fit in sun_path.
        Files.delete(dir);
        return Files.createTempDirectory(Path.of("/tmp"), "uhttp-workers-", attribute);
    }

    /** The directory holding the socket (mode 0700). */
    Path directory() {
        return directory;
    }

    /** The socket the workers connect to. */
    Path socketPath() {
        return socketPath;
    }

    private void listen() throws IOException {
        if (!closed) {
            loop.register(server, SelectionKey.OP_ACCEPT, key -> accept());
        }
    }

    // ------------------------------------------------------------------ launches

    @Override
    public Launch prepare(ProcessBuilder process) throws IOException {
        if (closed) {
            throw new IOException("IPC server is closed");
        }
        byte[] secret = Preamble.newSecret();
        long n = launches.incrementAndGet();
        UnixSocketChannel channel = UnixSocketChannel.awaiting(options.codec(), loop, "worker launch " + n,
                awaiting::remove);
        awaiting.put(channel, secret);
        // The secret goes through the environment: unlike the command line, other users cannot read it.
        Map<String, String> env = process.environment();
        env.put(IpcProviders.ENVIRONMENT, UnixSocketIpcProvider.NAME);
        env.put(UnixSocketIpcProvider.ENV_SOCKET, socketPath.toString());
        env.put(UnixSocketIpcProvider.ENV_SECRET, new String(secret, StandardCharsets.US_ASCII));
        process.redirectInput(ProcessBuilder.Redirect.PIPE);
        process.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        process.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new Launch() {
            @Override
            public IpcChannel attach(Process started) throws IOException {
                // The worker does not read stdin; closing it at once spares it a pipe nobody writes.
                started.getOutputStream().close();
                channel.describePeer("worker pid " + started.pid());
                started.onExit().thenAccept(p -> loop.execute(() -> channel.processExited(p.exitValue())));
                return channel;
            }

            @Override
            public void cancel() {
                awaiting.remove(channel);
                channel.close();
            }
        };
    }

    // ------------------------------------------------------------------ accepting

    /** On the loop: takes every pending connection and starts its checks. */
    private void accept() {
        try {
            acceptAll();
        } catch (IOException e) {
            // Reported, not thrown: the loop would close the listening socket for good (e.g. on EMFILE).
            if (!closed) {
                report("unixsocket IPC: accepting on {} failed: {}", socketPath, e);
            }
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel peer;
        while ((peer = server.accept()) != null) {
            if (closed) {
                closeQuietly(peer);
                continue;
            }
            try {
                String refusal = checkCredentials(peer);
                if (refusal == null && handshaking.size() >= MAX_HANDSHAKES) {
                    refusal = "too many connections (" + MAX_HANDSHAKES + ") are still to send their preamble";
                }
                if (refusal != null) {
                    refuse(peer, refusal);
                } else {
                    new Handshake(peer).begin();
                }
            } catch (IOException e) {
                refuse(peer, "checking it failed: " + e);
            }
        }
    }

    /** Null when the peer runs as our user, else why it is refused. */
    private String checkCredentials(SocketChannel peer) throws IOException {
        UnixDomainPrincipal principal = peer.getOption(ExtendedSocketOptions.SO_PEERCRED);
        UserPrincipal user = principal.user();
        if (user.equals(owner) || user.getName().equals(owner.getName())) {
            return null;
        }
        return "peer runs as user '" + user.getName() + "', not as '" + owner.getName() + "' (SO_PEERCRED)";
    }

    private void refuse(SocketChannel peer, String reason) {
        handshaking.remove(peer);
        closeQuietly(peer);
        report("unixsocket IPC: refused a connection on {}: {}", socketPath, reason);
    }

    private void report(String message, Object... args) {
        if (options.log() != null) {
            options.log().log(LogLevel.WARNING, LOGGER, message, args);
        }
    }

    /** One accepted peer until it has sent its preamble: reads exactly that many bytes, no more. */
    private final class Handshake {
        private final SocketChannel peer;
        private final ByteBuffer preamble = ByteBuffer.allocate(Preamble.LENGTH);
        private SelectionKey key;
        private SelectorLoop.Timer deadline;

        Handshake(SocketChannel peer) {
            this.peer = peer;
        }

        void begin() throws IOException {
            handshaking.add(peer);
            key = loop.register(peer, SelectionKey.OP_READ, k -> ready());
            if (loop instanceof SelectorLoop selectorLoop) {
                deadline = selectorLoop.schedule(handshakeMillis, this::expire);
            }
            // Without timers the fixed preamble size still bounds what a silent peer costs.
        }

        private void ready() {
            int n;
            try {
                n = peer.read(preamble);
            } catch (IOException e) {
                finish("reading its preamble failed: " + e);
                return;
            }
            if (n < 0) {
                finish("it closed the connection after " + preamble.position() + " of " + Preamble.LENGTH
                        + " preamble bytes");
            } else if (!preamble.hasRemaining()) {
                verify();
            }
        }

        private void verify() {
            byte[] got = preamble.array();
            if (!Preamble.hasMagic(got)) {
                finish("bad preamble (not a worker of this dispatcher)");
                return;
            }
            byte[] secret = Preamble.secret(got);
            UnixSocketChannel match = null;
            for (Map.Entry<UnixSocketChannel, byte[]> e : awaiting.entrySet()) {
                // Constant-time comparison: timing must not reveal how much of a guess was right.
                if (MessageDigest.isEqual(e.getValue(), secret)) {
                    match = e.getKey();
                }
            }
            if (match == null || awaiting.remove(match) == null) {
                finish("wrong secret (no launch is waiting for it)");
                return;
            }
            cancelDeadline();
            handshaking.remove(peer);
            match.connected(peer, key);
        }

        private void expire() {
            if (peer.isOpen() && handshaking.contains(peer)) {
                refuse(peer, "no preamble within " + handshakeMillis + " ms");
            }
        }

        private void finish(String reason) {
            cancelDeadline();
            refuse(peer, reason);
        }

        private void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (SocketChannel peer : handshaking) {
            closeQuietly(peer);
        }
        handshaking.clear();
        for (UnixSocketChannel channel : awaiting.keySet()) {
            channel.fail(new IOException("IPC server closed before the worker connected"));
        }
        awaiting.clear();
        Files.deleteIfExists(socketPath);
        Files.deleteIfExists(directory);
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
