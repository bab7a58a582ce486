package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The HTTP/1.1 (and HTTPS) server of the dispatcher, on a {@link SelectorLoop} it is given and never
 * owns. Every method is for the loop thread, except that listeners may be bound before the loop runs.
 *
 * <p>Accepting pauses while {@link HttpLimits#maxConnections()} connections are open and resumes
 * below. {@link #stopAccepting()} closes the listeners and starts draining: every later response
 * carries {@code Connection: close}.
 *
 * <p>Static files ({@link HttpExchange#respondFile}, and the
 * {@link dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes} lookup before it) are found, checked
 * ({@code toRealPath}, attributes) and opened on the loop thread with blocking file-system calls; the
 * bytes then go out non-blocking ({@code sendfile}, or reads into a scratch buffer under TLS). That is
 * page-cache friendly and cheap for local files, like nginx without {@code aio}; a slow (e.g. network)
 * file system would stall the whole loop.
 */
public final class HttpServer implements AutoCloseable {
    private static final int ACCEPTS_PER_EVENT = 256;
    /** The name of the engine's log records. */
    static final String LOGGER = "http";

    private final SelectorLoop loop;
    private final HttpLimits config;
    private final HttpHandler handler;
    private final LogSink log;
    private final List<Listener> listeners = new ArrayList<>();
    private final Set<HttpConnection> connections = new LinkedHashSet<>();
    private final HttpDate date = new HttpDate();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer fileScratch = ByteBuffer.allocate(16 * 1024);
    private final ByteBuffer[] gather = new ByteBuffer[16];
    private final TlsTransport.BufferPool tlsBuffers = new TlsTransport.BufferPool(64);
    private final RequestIds requestIds = new RequestIds();
    private ExchangeObserver observer = ExchangeObserver.NONE;
    private boolean acceptPaused;
    private boolean draining;
    private boolean reusePort;
    private boolean closed;

    private final class Listener {
        final ServerSocketChannel channel;
        /** Its TLS, or null for plain HTTP. */
        final SSLContext ssl;
        final InetSocketAddress address;
        final String name;
        SelectionKey key;

        Listener(ServerSocketChannel channel, SSLContext ssl, InetSocketAddress address, String name) {
            this.channel = channel;
            this.ssl = ssl;
            this.address = address;
            this.name = name;
        }
    }

    /** The name of the listener a connection came through when none was given. */
    public static final String DEFAULT_LISTENER = "default";

    /**
     * @param loop    the loop to register on (shared with the worker channels)
     * @param config  the limits (TLS is given per listener to {@link #bind})
     * @param handler gets every complete request
     * @param log     the server's events, as logger {@code http} (bad requests at DEBUG, failures at ERROR)
     */
    public HttpServer(SelectorLoop loop, HttpLimits config, HttpHandler handler, LogSink log) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.log = Objects.requireNonNull(log, "log");
    }

    RequestIds requestIds() {
        return requestIds;
    }

    /** Its limits. */
    public HttpLimits limits() {
        return config;
    }

    /**
     * Binds the listeners from now on with {@code SO_REUSEPORT}, so that several processes share a port
     * (the kernel spreads new connections over them).
     *
     * @throws UnsupportedOperationException with one line naming the fix, where the OS has no SO_REUSEPORT
     */
    public void reusePort(boolean on) throws IOException {
        if (on) {
            try (ServerSocketChannel probe = ServerSocketChannel.open()) {
                if (!probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("reusePort(true): this OS does not support SO_REUSEPORT; "
                            + "remove reusePort and run one dispatcher per port");
                }
            }
        }
        this.reusePort = on;
    }

    /**
     * Binds a listener of the default name on {@code address} (port 0 picks a free port): {@code 127.0.0.1}
     * or {@code 0.0.0.0} for IPv4, {@code ::1} for IPv6, {@code ::} for dual stack where the system allows.
     *
     * @param ssl its TLS, or null for plain HTTP
     * @return the bound address, with the real port
     */
    public InetSocketAddress bind(InetSocketAddress address, SSLContext ssl) throws IOException {
        return bind(address, ssl, DEFAULT_LISTENER);
    }

    /**
     * Binds a named listener with its own TLS ({@code ssl}, or null for plain HTTP); the exchanges of
     * its connections report {@code name} ({@link HttpExchange#listener()}).
     *
     * @return the bound address, with the real port
     */
    public InetSocketAddress bind(InetSocketAddress address, SSLContext ssl, String name) throws IOException {
        if (closed || draining) {
            throw new IllegalStateException("server is stopped");
        }
        boolean tls = ssl != null;
        ServerSocketChannel ch = address.getAddress() instanceof Inet6Address
                ? ServerSocketChannel.open(StandardProtocolFamily.INET6)
                : address.getAddress() != null ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                : ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(address, 1024);
            InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
            Listener l = new Listener(ch, ssl, bound, name);
            l.key = loop.register(ch, acceptPaused ? 0 : SelectionKey.OP_ACCEPT, k -> accept(l));
            listeners.add(l);
            // DEBUG: the dispatcher says where it listens, once per listener, when it is ready.
            log(LogLevel.DEBUG, "bound " + url(bound, tls) + (DEFAULT_LISTENER.equals(name) ? "" : " (listener " + name + ")"));
            return bound;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Where it listens, in the order bound: {@code http://host:port} or {@code https://...}, followed by
     * {@code (listener name)} for a named listener.
     */
    public List<String> urls() {
        return listeners.stream().map(l -> url(l.address, l.ssl != null)
                + (DEFAULT_LISTENER.equals(l.name) ? "" : " (listener " + l.name + ")")).toList();
    }

    private static String url(InetSocketAddress bound, boolean tls) {
        return (tls ? "https://" : "http://") + format(bound);
    }

    private static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The bound listener addresses, in bind order. */
    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> r = new ArrayList<>();
        for (Listener l : listeners) {
            r.add(l.address);
        }
        return Collections.unmodifiableList(r);
    }

    /** The bound ports, in bind order. */
    public List<Integer> localPorts() {
        List<Integer> r = new ArrayList<>();
        for (Listener l : listeners) {
            r.add(l.address.getPort());
        }
        return Collections.unmodifiableList(r);
    }

    /** The open connections (a copy; for tests and diagnostics). */
    List<HttpConnection> connectionsSnapshot() {
        return new ArrayList<>(connections);
    }

    /** Open client connections. */
    public int connectionCount() {
        return connections.size();
    }

    /** The states of {@link #connectionStates()}, in order. */
    public static final List<String> CONNECTION_STATES = List.of("reading", "processing", "writing", "idle", "closing");

    /**
     * The open connections by state, counted now: reading a request, processing (requests read, waiting
     * for their answers), writing (blocked: the client does not read), idle (keep-alive) and closing.
     */
    public int[] connectionStates() {
        int[] counts = new int[CONNECTION_STATES.size()];
        for (HttpConnection c : connections) {
            counts[c.stateIndex()]++;
        }
        return counts;
    }

    /** Sets who is told when each exchange ends (metrics). */
    public void observe(ExchangeObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    void exchangeEnded(Http1Exchange ex, boolean complete) {
        try {
            observer.exchangeEnded(ex, complete);
        } catch (RuntimeException e) {
            log(LogLevel.ERROR, "exchange observer failed: " + stackTrace(e));
        }
    }

    /** Whether {@link #stopAccepting()} was called. */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Closes the listeners and starts draining: open connections finish what they have (later responses
     * say {@code Connection: close}).
     */
    public void stopAccepting() {
        draining = true;
        for (Listener l : listeners) {
            l.key.cancel();
            try {
                l.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        listeners.clear();
    }

    /** Closes connections with nothing in flight; returns how many. */
    public int closeIdleConnections() {
        int n = 0;
        for (HttpConnection c : new ArrayList<>(connections)) {
            if (c.isIdle()) {
                c.closeNow();
                n++;
            }
        }
        return n;
    }

    /** Stops accepting and closes every connection (unfinished exchanges get their onClose callbacks). */
    @Override
    public void close() {
        stopAccepting();
        closed = true;
        for (HttpConnection c : new ArrayList<>(connections)) {
            c.closeNow();
        }
    }

    // ---- accepting

    private void accept(Listener l) {
        for (int i = 0; i < ACCEPTS_PER_EVENT && !acceptPaused; i++) {
            SocketChannel sc;
            try {
                sc = l.channel.accept();
            } catch (IOException e) {
                // e.g. too many open files: back off briefly rather than spin
                log(LogLevel.ERROR, "accept failed: " + e);
                pauseAccepting();
                loop.schedule(100, this::maybeResumeAccepting);
                return;
            }
            if (sc == null) {
                return;
            }
            try {
                sc.configureBlocking(false);
                sc.setOption(StandardSocketOptions.TCP_NODELAY, true);
                InetSocketAddress remote = (InetSocketAddress) sc.getRemoteAddress();
                Transport t;
                if (l.ssl != null) {
                    SSLEngine engine = l.ssl.createSSLEngine(
                            remote.getAddress().getHostAddress(), remote.getPort());
                    t = new TlsTransport(sc, engine, fileScratch, tlsBuffers);
                } else {
                    t = new PlainTransport(sc);
                }
                HttpConnection c = new HttpConnection(this, loop, config, t, remote, l.name);
                connections.add(c);
                c.start();
            } catch (IOException | RuntimeException e) {
                log(LogLevel.WARNING, "could not set up an accepted connection: " + e);
                try {
                    sc.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                continue;
            }
            if (connections.size() >= config.maxConnections()) {
                log(LogLevel.WARNING, "maxConnections (" + config.maxConnections()
                        + ") reached; not accepting until connections close");
                pauseAccepting();
            }
        }
    }

    private void pauseAccepting() {
        if (!acceptPaused) {
            acceptPaused = true;
            for (Listener l : listeners) {
                if (l.key.isValid()) {
                    l.key.interestOps(0);
                }
            }
        }
    }

    private void maybeResumeAccepting() {
        if (acceptPaused && !draining && connections.size() < config.maxConnections()) {
            acceptPaused = false;
            for (Listener l : listeners) {
                if (l.key.isValid()) {
                    l.key.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
        }
    }

    void connectionClosed(HttpConnection c) {
        if (connections.remove(c) && acceptPaused) {
            maybeResumeAccepting();
        }
    }

    // ---- shared with connections

    /** Bytes of streamed request bodies received and not yet taken by their handlers. */
    private long bodyQueuedBytes;

    void bodyQueued(long delta) {
        bodyQueuedBytes += delta;
    }

    /**
     * The bytes this server holds for its clients: response output not yet written, request bodies
     * being received or waiting for their handler. Loop thread only.
     */
    public long bufferedBytes() {
        long n = bodyQueuedBytes;
        for (HttpConnection c : connections) {
            n += c.pendingBytes() + c.requestBodyCapacity();
        }
        return n;
    }

    long streamBodyLimit(RequestHead head, String listener) {
        long length = head.framing() == RequestHead.Framing.CHUNKED ? -1 : head.contentLength();
        try {
            return handler.streamBodyLimit(head.method(), head.path(), listener, length);
        } catch (RuntimeException e) {
            log(LogLevel.ERROR, "streamBodyLimit failed for " + head.method() + " " + head.path() + ": "
                    + stackTrace(e));
            return -1;
        }
    }

    void dispatch(Http1Exchange ex) {
        try {
            handler.handle(ex);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw (Error) e;
            }
            log(LogLevel.ERROR, "handler failed for " + ex.method() + " " + ex.path() + ": " + stackTrace(e));
            if (!ex.isAnswered() && ex.isOpen()) {
                ex.respondError(500, JsonErrors.INTERNAL_SERVER_ERROR, false);
            }
        }
    }

    void log(LogLevel level, String message) {
        try {
            log.log(level, LOGGER, "{}", message);
        } catch (RuntimeException ignored) {
            // a failing log sink must not break the loop
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    byte[] dateLine() {
        return date.dateLine();
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    ByteBuffer[] gatherArray() {
        return gather;
    }
}
