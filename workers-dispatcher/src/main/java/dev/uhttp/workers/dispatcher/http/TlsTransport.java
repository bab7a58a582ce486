package dev.uhttp.workers.dispatcher.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket with an {@link SSLEngine}, driven by the connection on the loop
 * thread. Delegated handshake tasks run inline. Network buffers are sized from the session. A second
 * handshake after the first one completed (TLS 1.2 renegotiation, client- or otherwise initiated) is
 * refused by failing the connection; TLS 1.3 post-handshake messages (key update, tickets) are allowed.
 *
 * <p>The two packet buffers (about 17 KB each) are held only while they hold bytes: they are taken from
 * the loop's {@link BufferPool} when a read or write starts and given back once empty, so an idle or
 * silent connection holds none.
 */
final class TlsTransport implements Transport {
    private static final ByteBuffer[] NONE = {ByteBuffer.allocate(0)};

    private final SocketChannel ch;
    private final SSLEngine engine;
    private final ByteBuffer fileScratch;
    private final ByteBuffer[] one = new ByteBuffer[1];
    private final BufferPool pool;
    private final int packetSize;
    private ByteBuffer netIn; // null while empty
    private ByteBuffer netOut; // null while empty; kept in write mode: [0, position) waits for the socket
    private boolean handshakeDone;
    private boolean inputMayHaveRecord;
    private boolean inboundClosed;
    private boolean outputShut;

    TlsTransport(SocketChannel ch, SSLEngine engine, ByteBuffer fileScratch, BufferPool pool) throws SSLException {
        this.ch = ch;
        this.engine = engine;
        this.fileScratch = fileScratch;
        this.pool = pool;
        engine.setUseClientMode(false);
        engine.beginHandshake();
        packetSize = engine.getSession().getPacketBufferSize();
    }

    /**
     * Free packet buffers shared by the TLS connections of one loop (loop thread only); keeps at most
     * {@code max} of them.
     */
    static final class BufferPool {
        private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        private final int max;

        BufferPool(int max) {
            this.max = max;
        }

        ByteBuffer take(int size) {
            ByteBuffer b;
            while ((b = free.pollLast()) != null) {
                if (b.capacity() >= size) {
                    b.clear();
                    return b;
                }
            }
            return ByteBuffer.allocate(size);
        }

        void give(ByteBuffer b) {
            if (free.size() < max) {
                b.clear();
                free.addLast(b);
            }
        }
    }

    private void takeNetOut() {
        if (netOut == null) {
            netOut = pool.take(packetSize);
        }
    }

    /** Gives back the packet buffers that hold nothing. */
    private void giveBackEmpty() {
        if (netIn != null && netIn.position() == 0) {
            pool.give(netIn);
            netIn = null;
        }
        if (netOut != null && netOut.position() == 0) {
            pool.give(netOut);
            netOut = null;
        }
    }

    /** Bytes of packet buffer this connection holds (for tests and diagnostics). */
    int heldBufferBytes() {
        return (netIn == null ? 0 : netIn.capacity()) + (netOut == null ? 0 : netOut.capacity());
    }

    @Override
    public SocketChannel channel() {
        return ch;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (inboundClosed) {
            return -1;
        }
        if (netIn == null) {
            netIn = pool.take(packetSize);
        }
        takeNetOut();
        try {
            return readRecords(dst);
        } finally {
            giveBackEmpty();
        }
    }

    private int readRecords(ByteBuffer dst) throws IOException {
        boolean eof = false;
        if (netIn.hasRemaining()) {
            eof = ch.read(netIn) < 0;
        }
        inputMayHaveRecord = false;
        int produced = 0;
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                if (!wrapHandshake()) {
                    inputMayHaveRecord = netIn.position() > 0;
                    break;
                }
                continue;
            }
            if (netIn.position() == 0) {
                break;
            }
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, dst);
            } finally {
                netIn.compact();
            }
            produced += r.bytesProduced();
            checkHandshake(r.getHandshakeStatus());
            SSLEngineResult.Status st = r.getStatus();
            if (st == SSLEngineResult.Status.CLOSED) {
                inboundClosed = true;
                break;
            }
            if (st == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (produced == 0 && dst.position() == 0) {
                    throw new SSLException("application buffer too small");
                }
                inputMayHaveRecord = true;
                break;
            }
            if (st == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                int packet = engine.getSession().getPacketBufferSize();
                if (!netIn.hasRemaining() && netIn.capacity() < packet) {
                    ByteBuffer bigger = ByteBuffer.allocate(packet);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                if (engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP
                        && engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                    break;
                }
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                break;
            }
        }
        if (produced > 0) {
            return produced;
        }
        return inboundClosed || eof ? -1 : 0;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void checkHandshake(HandshakeStatus hs) throws SSLException {
        if (hs == HandshakeStatus.FINISHED) {
            if (handshakeDone && !isTls13()) {
                throw new SSLException("TLS renegotiation refused");
            }
            handshakeDone = true;
        } else if (handshakeDone && hs != HandshakeStatus.NOT_HANDSHAKING && !isTls13()) {
            throw new SSLException("TLS renegotiation refused");
        }
    }

    private boolean isTls13() {
        return "TLSv1.3".equals(engine.getSession().getProtocol());
    }

    /** Produces handshake records; false when the socket cannot take more now. */
    private boolean wrapHandshake() throws IOException {
        SSLEngineResult r = engine.wrap(NONE, netOut);
        checkHandshake(r.getHandshakeStatus());
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW:
                if (!flushNet()) {
                    return false;
                }
                growNetOut();
                return true;
            case CLOSED:
                flushNet();
                return false;
            default:
                if (r.bytesProduced() == 0 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    return false; // no progress possible now
                }
                return flushNet() || r.bytesProduced() > 0;
        }
    }

    private void growNetOut() {
        int packet = engine.getSession().getPacketBufferSize();
        if (netOut.position() == 0 && netOut.capacity() < packet) {
            netOut = ByteBuffer.allocate(packet);
        }
    }

    private boolean flushNet() throws IOException {
        if (netOut == null || netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        try {
            ch.write(netOut);
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!flushNet()) {
            return 0;
        }
        takeNetOut();
        try {
            return wrapAll(srcs, offset, length);
        } finally {
            giveBackEmpty();
        }
    }

    private long wrapAll(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long consumed = 0;
        while (hasRemaining(srcs, offset, length)) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
            consumed += r.bytesConsumed();
            checkHandshake(r.getHandshakeStatus());
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS connection closed");
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (!flushNet()) {
                    break;
                }
                growNetOut();
                continue;
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break; // e.g. waiting for a handshake message from the peer
            }
        }
        flushNet();
        return consumed;
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long transferFile(FileChannel file, long position, long count) throws IOException {
        if (!flushNet()) {
            return 0;
        }
        ByteBuffer b = fileScratch;
        b.clear();
        if (count < b.capacity()) {
            b.limit((int) count);
        }
        int n = file.read(b, position);
        if (n <= 0) {
            return 0;
        }
        b.flip();
        one[0] = b;
        try {
            return write(one, 0, 1);
        } finally {
            one[0] = null;
        }
    }

    @Override
    public boolean flush() throws IOException {
        takeNetOut();
        try {
            return flushAll();
        } finally {
            giveBackEmpty();
        }
    }

    private boolean flushAll() throws IOException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (hs == HandshakeStatus.NEED_WRAP && !outputShut) {
                if (!wrapHandshake()) {
                    return false;
                }
            } else {
                break;
            }
        }
        return flushNet();
    }

    @Override
    public boolean hasBufferedInput() {
        return inputMayHaveRecord;
    }

    @Override
    public boolean hasPendingOutput() {
        return netOut != null && netOut.position() > 0;
    }

    @Override
    public void shutdownOutput() {
        if (outputShut) {
            return;
        }
        outputShut = true;
        try {
            takeNetOut();
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                SSLEngineResult r = engine.wrap(NONE, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    if (!flushNet()) {
                        break;
                    }
                } else if (r.bytesProduced() == 0) {
                    break;
                }
            }
            flushNet();
            ch.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the peer may be gone
        }
        giveBackEmpty();
    }

    @Override
    public void close() {
        shutdownOutput();
        netIn = null; // what is left unsent or unread is dropped with the connection
        netOut = null;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
