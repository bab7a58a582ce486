package dev.uhttp.workers.ipc.unixsocket;

import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;

/**
 * IPC over the JDK's own Unix domain sockets ({@link UnixDomainSocketAddress}, JDK 16+): selectable
 * channels registered straight in the dispatcher's selector, no native library. Preferred over pipes
 * (priority {@value #PRIORITY}) where available: POSIX file permissions and {@code SO_PEERCRED} are
 * needed for the checks, so not on Windows.
 *
 * <p>The dispatcher listens in a private directory; each launch gets a random secret in the child's
 * environment ({@value #ENV_SOCKET}, {@value #ENV_SECRET}), which the worker presents on connecting.
 */
public final class UnixSocketIpcProvider implements IpcProvider {

    /** The provider's name, as given to {@code workers.ipc} / {@code WORKERS_IPC}. */
    public static final String NAME = "unixsocket";
    /** Above the pipe provider. */
    public static final int PRIORITY = 20;
    /** Environment variable with the socket path. */
    public static final String ENV_SOCKET = "WORKERS_IPC_SOCKET";
    /** Environment variable with the launch's secret. */
    public static final String ENV_SECRET = "WORKERS_IPC_SECRET";

    private volatile Boolean available;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        Boolean a = available;
        if (a == null) {
            a = probe();
            available = a;
        }
        return a;
    }

    private static boolean probe() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public IpcServer openServer(IpcServer.Options options) throws IOException {
        return new UnixSocketServer(options, UnixSocketServer.DEFAULT_HANDSHAKE_MILLIS);
    }

    @Override
    public IpcChannel connectWorker(Map<String, String> environment, FrameCodec codec) throws IOException {
        String path = environment.get(ENV_SOCKET);
        String secret = environment.get(ENV_SECRET);
        if (path == null || path.isBlank()) {
            throw new IOException(ENV_SOCKET + " is not set: this JVM was not launched by a dispatcher"
                    + " using the " + NAME + " IPC provider");
        }
        if (!Preamble.isWellFormed(secret)) {
            throw new IOException(ENV_SECRET + " is missing or malformed");
        }
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(path));
            var preamble = Preamble.encode(secret.getBytes(StandardCharsets.US_ASCII));
            while (preamble.hasRemaining()) {
                socket.write(preamble);
            }
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to the dispatcher at " + path + ": " + e.getMessage(), e);
        }
        return UnixSocketChannel.connected(codec, socket);
    }
}
