package dev.uhttp.workers.cluster.redis;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection to Redis, kept up: connects without blocking on the dispatcher's loop, sends its
 * handshake (AUTH, then e.g. SUBSCRIBE), and once every handshake reply is in, is ready; when the
 * connection fails, is refused, times out or the server answers the handshake with an error, it
 * connects again after a backoff that doubles from 100 ms up to {@value #MAX_BACKOFF_MILLIS} ms. Its
 * output is bounded ({@value #MAX_BACKLOG} bytes): what does not fit is refused, never waited for.
 * Loop thread only.
 */
final class RedisLink {
    /** The logger name of the links' records. */
    static final String LOGGER = "cluster";
    static final long MIN_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    static final int MAX_BACKLOG = 8 << 20;

    private final String name;
    private final SelectorLoop loop;
    private final InetSocketAddress address;
    private final RedisTransport.Factory transports;
    private final List<byte[]> handshake;
    private final Consumer<Object> replies;
    private final LogSink log;
    private final Runnable onReady;
    private SocketChannel channel;
    private SelectionKey key;
    private RedisTransport transport;
    private RespDecoder decoder;
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private long backlog;
    private int handshakeLeft;
    private boolean ready;
    private boolean closed;
    private boolean everConnected;
    private boolean failureLogged;
    private long backoff = MIN_BACKOFF_MILLIS;
    private long reconnects;
    private SelectorLoop.Timer timer;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);

    /**
     * @param handshake commands sent first on every connection; each must be answered without an error
     * @param replies   every reply after the handshake (and pushes)
     * @param onReady   called each time the handshake completes
     */
    RedisLink(String name, SelectorLoop loop, InetSocketAddress address, RedisTransport.Factory transports,
              List<byte[]> handshake, Consumer<Object> replies, Runnable onReady, LogSink log) {
        this.name = name;
        this.loop = loop;
        this.address = address;
        this.transports = transports;
        this.handshake = handshake;
        this.replies = replies;
        this.onReady = onReady;
        this.log = log;
    }

    boolean isReady() {
        return ready;
    }

    long reconnects() {
        return reconnects;
    }

    /** Sends {@code command} if ready and the output has room; false (nothing sent) otherwise. */
    boolean send(byte[] command) {
        if (!ready || backlog + command.length > MAX_BACKLOG) {
            return false;
        }
        queue(command);
        return true;
    }

    void connect() {
        if (closed) {
            return;
        }
        decoder = new RespDecoder(64 << 20, 1 << 20, 32);
        output.clear();
        backlog = 0;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean done = channel.connect(address);
            key = loop.register(channel, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this::ready);
            timer = loop.schedule(CONNECT_TIMEOUT_MILLIS, () -> {
                if (!ready) {
                    fail("no answer within " + CONNECT_TIMEOUT_MILLIS + " ms");
                }
            });
            if (done) {
                connected();
            }
        } catch (IOException | RuntimeException e) {
            fail(e.toString());
        }
    }

    private void connected() throws IOException {
        transport = transports.open(channel, address);
        handshakeLeft = handshake.size();
        for (byte[] command : handshake) {
            queue(command);
        }
        if (handshakeLeft == 0) {
            becomeReady();
        }
        flush();
    }

    private void ready(SelectionKey k) {
        try {
            if (k.isConnectable()) {
                channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                connected();
                return;
            }
            if (k.isWritable()) {
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                read();
            }
        } catch (IOException | RespException | RuntimeException e) {
            fail(e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private void read() throws IOException, RespException {
        while (true) {
            readBuffer.clear();
            int n = transport.read(readBuffer);
            if (n < 0) {
                throw new IOException("connection closed by the server");
            }
            readBuffer.flip();
            if (readBuffer.hasRemaining()) {
                decoder.feed(readBuffer);
            }
            for (Object v = decoder.next(); v != null; v = decoder.next()) {
                if (handshakeLeft > 0) {
                    if (v instanceof RespDecoder.RespError error) {
                        throw new IOException("the server refused the handshake: " + error.message());
                    }
                    if (--handshakeLeft == 0) {
                        becomeReady();
                    }
                } else {
                    replies.accept(v);
                }
                if (closed || channel == null) {
                    return;
                }
            }
            if (n == 0 && !transport.hasBufferedInput()) {
                if (!output.isEmpty()) {
                    flush(); // TLS: a handshake that just completed lets the waiting commands out
                }
                return;
            }
        }
    }

    private void becomeReady() {
        ready = true;
        backoff = MIN_BACKOFF_MILLIS;
        if (timer != null) {
            timer.cancel();
        }
        if (everConnected) {
            reconnects++;
        }
        if (failureLogged || !everConnected) {
            log.log(LogLevel.INFO, LOGGER, "{} connected to redis at {}", name, format());
        }
        everConnected = true;
        failureLogged = false;
        onReady.run();
    }

    private void queue(byte[] bytes) {
        output.add(ByteBuffer.wrap(bytes));
        backlog += bytes.length;
        if (transport != null && output.size() == 1) {
            try {
                flush();
            } catch (IOException e) {
                loop.execute(() -> fail(e.toString()));
            }
        }
    }

    private void flush() throws IOException {
        while (!output.isEmpty()) {
            ByteBuffer b = output.peek();
            int before = b.remaining();
            transport.write(b);
            backlog -= before - b.remaining();
            if (b.hasRemaining()) {
                break;
            }
            output.poll();
        }
        boolean more = transport.wantsWritable(!output.isEmpty());
        if (key.isValid()) {
            key.interestOps(more ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** Drops the connection and connects again after the backoff. */
    private void fail(String why) {
        boolean wasReady = ready;
        drop();
        if (closed) {
            return;
        }
        if (!failureLogged) {
            failureLogged = true;
            log.log(LogLevel.WARNING, LOGGER, "{}: redis at {} {}: {}; reconnecting with backoff (up to {} ms)",
                    name, format(), wasReady ? "lost" : "unreachable", why, MAX_BACKOFF_MILLIS);
        }
        long delay = backoff;
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        timer = loop.schedule(delay, this::connect);
    }

    private void drop() {
        ready = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (key != null) {
            key.cancel();
            key = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            channel = null;
        }
        transport = null;
        output.clear();
        backlog = 0;
    }

    void close() {
        closed = true;
        drop();
    }

    private String format() {
        return address.getHostString() + ":" + address.getPort();
    }
}
