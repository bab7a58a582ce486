package dev.uhttp.workers.cluster.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The bytes of one connection to Redis: as they are ({@code redis://}) or through TLS ({@code rediss://}). */
interface RedisTransport {

    /** Makes the transport of a connected channel. */
    interface Factory {
        RedisTransport open(SocketChannel channel, InetSocketAddress address) throws IOException;
    }

    /** The plain transport. */
    Factory PLAIN = (channel, address) -> new RedisTransport() {
        @Override
        public int read(ByteBuffer into) throws IOException {
            return channel.read(into);
        }

        @Override
        public void write(ByteBuffer from) throws IOException {
            channel.write(from);
        }
    };

    /** Reads what there is without blocking: bytes read, 0 for none now, -1 at the end of the stream. */
    int read(ByteBuffer into) throws IOException;

    /** Writes what the socket takes now, without blocking. */
    void write(ByteBuffer from) throws IOException;

    /** Whether decrypted input waits that the socket will not signal again. */
    default boolean hasBufferedInput() {
        return false;
    }

    /**
     * Whether the link should wait for the socket to be writable, given whether it has {@code pending}
     * bytes of its own (TLS: not while the handshake waits for the server).
     */
    default boolean wantsWritable(boolean pending) {
        return pending;
    }
}
