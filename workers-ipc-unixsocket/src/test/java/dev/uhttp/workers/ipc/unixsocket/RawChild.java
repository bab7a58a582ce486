package dev.uhttp.workers.ipc.unixsocket;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;


/**
 * A misbehaving worker: connects and authenticates properly, then writes bytes that are no frame, and
 * waits for the dispatcher to hang up.
 */
public final class RawChild {

    private RawChild() {
    }

    public static void main(String[] args) throws Exception {
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.connect(UnixDomainSocketAddress.of(System.getenv(UnixSocketIpcProvider.ENV_SOCKET)));
            write(socket, Preamble.encode(System.getenv(UnixSocketIpcProvider.ENV_SECRET)
                    .getBytes(StandardCharsets.US_ASCII)));
            write(socket, ByteBuffer.wrap(new byte[] {0, 0, 0, 3, (byte) 0xc1, (byte) 0xc1, (byte) 0xc1}));
            ByteBuffer sink = ByteBuffer.allocate(4096);
            while (socket.read(sink) >= 0) {
                sink.clear();
            }
        }
        System.exit(0);
    }

    private static void write(SocketChannel socket, ByteBuffer b) throws Exception {
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }
}
