package dev.uhttp.workers.cluster.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS for {@code rediss://}: an {@link SSLEngine} in client mode over the non-blocking channel, driven by
 * the link's reads and writes on the loop. The server's certificate is checked against the JVM's trust
 * store ({@code javax.net.ssl.trustStore} for a private CA) and its host name.
 */
final class RedisTls implements RedisTransport {
    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;

    private RedisTls(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet);
        netOut.flip();
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        appIn.flip();
    }

    /** TLS with {@code context}, or with the JVM's default context when null. */
    static RedisTransport.Factory factory(SSLContext given) {
        return (SocketChannel channel, InetSocketAddress address) -> {
            SSLContext context = given;
            try {
                if (context == null) {
                    context = SSLContext.getDefault();
                }
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("no TLS here: " + e.getMessage(), e);
            }
            SSLEngine engine = context.createSSLEngine(address.getHostString(), address.getPort());
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            engine.beginHandshake();
            RedisTls tls = new RedisTls(channel, engine);
            tls.handshake();
            return tls;
        };
    }

    private boolean handshaking() {
        SSLEngineResult.HandshakeStatus s = engine.getHandshakeStatus();
        return s != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && s != SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** Moves the handshake on as far as the socket allows now. */
    private void handshake() throws IOException {
        while (handshaking()) {
            if (!flushNet()) {
                return;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run(); // certificate checks: short CPU work, run here rather than on a thread of ours
                    }
                }
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
        flushNet();
    }

    /** Writes pending TLS records; true when none is left. */
    private boolean flushNet() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    private void wrap(ByteBuffer from) throws IOException {
        netOut.compact();
        try {
            SSLEngineResult r = engine.wrap(from, netOut);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new IOException("TLS closed by the server");
            }
        } finally {
            netOut.flip();
        }
        flushNet();
    }

    /** Unwraps what came in (reading more if needed); false when the socket has nothing more now. */
    private boolean unwrap() throws IOException {
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (r.getStatus()) {
                case OK:
                    if (appIn.hasRemaining() || handshaking()) {
                        return true;
                    }
                    if (r.bytesConsumed() > 0 && netIn.position() > 0) {
                        continue; // a record with no data for us (a session ticket): the next may have some
                    }
                    break;
                case CLOSED:
                    throw new IOException("TLS closed by the server");
                case BUFFER_OVERFLOW:
                    return true; // appIn is full: the link reads it first
                default:
                    break; // BUFFER_UNDERFLOW: a record is not all here yet
            }
            int n = channel.read(netIn);
            if (n < 0) {
                throw new SSLException("connection closed during TLS");
            }
            if (n == 0) {
                return false;
            }
        }
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        if (handshaking()) {
            handshake();
            if (handshaking()) {
                return 0;
            }
        }
        if (!appIn.hasRemaining()) {
            unwrap();
            if (handshaking()) { // a renegotiation or post-handshake message
                handshake();
            }
        }
        int n = Math.min(into.remaining(), appIn.remaining());
        ByteBuffer slice = appIn.slice();
        slice.limit(n);
        into.put(slice);
        appIn.position(appIn.position() + n);
        return n;
    }

    @Override
    public void write(ByteBuffer from) throws IOException {
        if (handshaking()) {
            handshake();
            if (handshaking()) {
                return;
            }
        }
        while (from.hasRemaining() && flushNet()) {
            wrap(from);
        }
    }

    @Override
    public boolean hasBufferedInput() {
        return appIn.hasRemaining();
    }

    @Override
    public boolean wantsWritable(boolean pending) {
        return netOut.hasRemaining() || (pending && !handshaking());
    }
}
