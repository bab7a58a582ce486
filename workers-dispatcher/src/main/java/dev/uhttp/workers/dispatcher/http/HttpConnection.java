package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * One client connection: reads and parses requests, hands each complete one to the handler, and writes
 * the answers in request order. Runs entirely on the loop thread and never blocks: output the socket
 * does not take is kept and finished on {@code OP_WRITE}.
 *
 * <p>One timer per connection covers every timeout; its phase says which limit applies: a new silent
 * connection (header timeout, closed quietly), a request partly received (header timeout, 408: for the
 * header block in total, for the body between two reads that bring some of it), an idle
 * keep-alive connection (keep-alive timeout, closed quietly), output the client does not read (write
 * timeout), and the lingering close after an error (two seconds). While requests wait for their
 * answers no timeout runs here: the dispatcher times those out.
 */
final class HttpConnection implements EventLoop.IoHandler {
    /** Where a connection is in its life; it only moves forward. */
    private enum Lifecycle {
        /** Reading requests and writing answers. */
        OPEN,
        /** No more requests are read (last request, or an error); answers are still written. */
        READS_ENDED,
        /** The last response was written; nothing more is sent. */
        OUTPUT_ENDED,
        /** Output shut down; what the client still sends is drained for a while. */
        LINGERING,
        /** Closed. */
        CLOSED
    }

    private static final String[] ALLOW = {"Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"};

    private final HttpServer server;
    private final SelectorLoop loop;
    private final HttpServerConfig config;
    private final Transport transport;
    private final InetSocketAddress remote;
    private final RequestParser parser;
    private final ResponseQueue exchanges;
    private SelectionKey key;
    private int interest = -1;

    private Http1Exchange current;
    private ByteBuffer leftover;
    private int requestsRead;
    private Lifecycle lifecycle = Lifecycle.OPEN;
    private boolean readPaused;
    private boolean resumeScheduled;
    private boolean writeBlocked;
    private boolean flushing;
    private final ConnectionTimer timer;

    HttpConnection(HttpServer server, SelectorLoop loop, HttpServerConfig config, Transport transport,
                   InetSocketAddress remote) {
        this.server = server;
        this.loop = loop;
        this.config = config;
        this.transport = transport;
        this.remote = remote;
        this.parser = new RequestParser(config);
        this.exchanges = new ResponseQueue(config.lowWaterMark());
        this.timer = new ConnectionTimer(loop, config, this::onTimer);
    }

    private boolean closed() {
        return lifecycle == Lifecycle.CLOSED;
    }

    /** Whether no more requests are read (true from {@link Lifecycle#READS_ENDED} on). */
    private boolean readsEnded() {
        return lifecycle != Lifecycle.OPEN;
    }

    private boolean lingering() {
        return lifecycle == Lifecycle.LINGERING;
    }

    private void advance(Lifecycle to) {
        if (lifecycle.compareTo(to) < 0) {
            lifecycle = to;
        }
    }

    void start() throws IOException {
        key = loop.register(transport.channel(), SelectionKey.OP_READ, this);
        interest = SelectionKey.OP_READ;
        updateTimeout();
    }

    // ---- accessors for exchanges

    InetSocketAddress remoteAddress() {
        return remote;
    }

    Transport transport() {
        return transport;
    }

    boolean isSecure() {
        return transport.isSecure();
    }

    boolean acceptsOutput() {
        return lifecycle.compareTo(Lifecycle.OUTPUT_ENDED) < 0;
    }

    long pendingBytes() {
        return exchanges.pendingBytes();
    }

    /** Bytes allocated for the body of the request being received (for tests and diagnostics). */
    int requestBodyCapacity() {
        return parser.bodyCapacity();
    }

    byte[] dateLine() {
        return server.dateLine();
    }

    boolean isDraining() {
        return server.isDraining();
    }

    boolean isLastExchange(Http1Exchange ex) {
        return current == null && exchanges.newest() == ex;
    }

    /** Whether nothing is in flight: no request partly read, none waiting for or writing its answer. */
    boolean isIdle() {
        return !closed() && exchanges.isEmpty() && current == null && !parser.inProgress();
    }

    void checkThread() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("HttpExchange used outside the loop thread");
        }
    }

    void log(LogLevel level, String message) {
        server.log(level, message);
    }

    void runCallback(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            server.log(LogLevel.ERROR, "exchange callback failed: " + HttpServer.stackTrace(e));
        }
    }

    void stopReadingRequests() {
        if (lifecycle == Lifecycle.OPEN) {
            lifecycle = Lifecycle.READS_ENDED;
            leftover = null;
            updateInterest();
        }
    }

    void addPending(long n) {
        exchanges.addPending(n);
    }

    void written(long n) {
        exchanges.written(n);
        progress();
    }

    void progress() {
        timer.restart(ConnectionTimer.Phase.WRITE);
    }

    /** New output was queued on {@code ex}; written now if {@code ex} is the oldest exchange. */
    void outputAdded(Http1Exchange ex, boolean stream) {
        if (exchanges.oldest() == ex && !writeBlocked) {
            flush();
        }
        if (stream && !closed() && exchanges.pendingBytes() > config.maxStreamBuffer()) {
            server.log(LogLevel.WARNING, "client " + remote + " does not read its stream fast enough ("
                    + exchanges.pendingBytes() + " bytes buffered); dropping the connection");
            closeNow();
            return;
        }
        pauseReadingIfBusy();
    }

    /**
     * Stops reading (and so dispatching) new requests while {@link HttpServerConfig#maxPipelined()} wait
     * for their answers or while the output buffered for the client exceeds
     * {@link HttpServerConfig#maxStreamBuffer()}; {@link #afterFlush} resumes below both (output at the
     * low-water mark). Only between requests: a request partly received is read to its end first.
     */
    private void pauseReadingIfBusy() {
        if (!readPaused && !readsEnded() && current == null && !parser.inProgress()
                && (exchanges.size() >= config.maxPipelined() || exchanges.pendingBytes() > config.maxStreamBuffer())) {
            readPaused = true;
            updateInterest();
        }
    }

    /** Whether reading new requests is paused (for tests and diagnostics). */
    boolean isReadPaused() {
        return readPaused;
    }

    // ---- reading

    @Override
    public void ready(SelectionKey k) {
        try {
            int ops = k.readyOps();
            if ((ops & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
            if (!closed() && ((ops & SelectionKey.OP_READ) != 0 || transport.hasBufferedInput())) {
                onReadable();
            }
        } catch (RuntimeException e) {
            server.log(LogLevel.ERROR, "connection " + remote + " failed: " + HttpServer.stackTrace(e));
            closeNow();
        }
    }

    private void onReadable() {
        ByteBuffer buf = server.readBuffer();
        if (lingering()) {
            try {
                buf.clear();
                if (transport.channel().read(buf) < 0) {
                    closeNow();
                }
            } catch (IOException e) {
                closeNow();
            }
            return;
        }
        if (readPaused || readsEnded()) {
            return;
        }
        do {
            // A body of announced length is read straight into its own buffer (TLS decrypts whole
            // records, so it needs room a body's last bytes may not leave: it goes through buf).
            ByteBuffer body = transport.isSecure() ? null : parser.bodyTarget();
            int n;
            try {
                if (body == null) {
                    buf.clear();
                }
                n = transport.read(body != null ? body : buf);
            } catch (IOException e) {
                server.log(LogLevel.DEBUG, "read from " + remote + " failed: " + e);
                closeNow();
                return;
            }
            if (transport.hasPendingOutput()) {
                flush();
                if (closed()) {
                    return;
                }
            }
            if (n < 0) {
                closeNow(); // the client went away (or half-closed): pending exchanges are aborted
                return;
            }
            if (n == 0) {
                break;
            }
            if (body != null) {
                if (parser.bodyRead(n) == RequestParser.COMPLETE) {
                    completeRequest();
                }
            } else {
                buf.flip();
                process(buf);
            }
            if (closed()) {
                return;
            }
            if (parser.inBody()) {
                timer.restart(ConnectionTimer.Phase.REQUEST); // the body timeout runs between reads (client_body_timeout)
            }
        } while (!readPaused && !readsEnded() && transport.hasBufferedInput());
        updateInterest();
        updateTimeout();
    }

    private void process(ByteBuffer buf) {
        while (buf.hasRemaining()) {
            if (readsEnded()) {
                buf.position(buf.limit());
                return;
            }
            if (readPaused) {
                if (buf != leftover) {
                    ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
                    copy.put(buf).flip();
                    leftover = copy;
                }
                return;
            }
            RequestParser.Event ev;
            try {
                ev = parser.parse(buf);
            } catch (HttpError e) {
                buf.position(buf.limit());
                protocolError(e.status, e.getMessage());
                return;
            }
            if (ev == RequestParser.NEED_MORE) {
                continue;
            }
            if (current == null) {
                current = new Http1Exchange(this, parser.head());
                exchanges.add(current);
            }
            if (ev == RequestParser.HEADERS) {
                if (parser.head().expectContinue()) {
                    current.sendContinue();
                }
                continue;
            }
            completeRequest();
        }
        if (buf == leftover && !buf.hasRemaining()) {
            leftover = null;
        }
    }

    private void completeRequest() {
        Http1Exchange ex = current;
        current = null;
        ex.body = parser.takeBody();
        boolean keepAlive = parser.head().keepAlive();
        parser.reset();
        requestsRead++;
        timer.forgetPhase();
        if (!keepAlive || requestsRead >= config.maxRequestsPerConnection() || server.isDraining()) {
            ex.last = true;
            stopReadingRequests();
        }
        if ("*".equals(ex.path())) {
            ex.respond(200, ALLOW, null); // OPTIONS * : the server's capabilities
        } else {
            server.dispatch(ex);
        }
        pauseReadingIfBusy();
    }

    private void protocolError(int status, String message) {
        server.log(LogLevel.DEBUG, "bad request from " + remote + ": " + status + " " + message);
        if (current != null) {
            exchanges.remove(current);
            current = null;
        }
        stopReadingRequests();
        Http1Exchange err = Http1Exchange.forError(this, parser.isHttp11());
        exchanges.add(err);
        err.respondError(status, message, true);
        updateTimeout();
    }

    private void resumeReading() {
        resumeScheduled = false;
        if (closed() || !readPaused) {
            return;
        }
        readPaused = false;
        if (leftover != null) {
            process(leftover);
            if (closed()) {
                return;
            }
        }
        if (!readPaused && transport.hasBufferedInput()) {
            onReadable();
            if (closed()) {
                return;
            }
        }
        updateInterest();
        updateTimeout();
    }

    // ---- writing

    void flush() {
        if (closed() || flushing) {
            return;
        }
        flushing = true;
        boolean blocked = false;
        try {
            if (!transport.flush()) {
                blocked = true;
            } else {
                ResponseQueue.Written w = exchanges.writeOut(transport, server.gatherArray());
                blocked = w == ResponseQueue.Written.BLOCKED;
                if (w == ResponseQueue.Written.LAST) {
                    stopReadingRequests();
                    advance(Lifecycle.OUTPUT_ENDED);
                }
            }
        } catch (IOException e) {
            flushing = false;
            server.log(LogLevel.DEBUG, "write to " + remote + " failed: " + e);
            closeNow();
            return;
        }
        flushing = false;
        if (blocked && !writeBlocked) {
            timer.forgetPhase(); // enter the write phase afresh
        }
        writeBlocked = blocked;
        afterFlush();
    }

    private void afterFlush() {
        if (closed()) {
            return;
        }
        if (!writeBlocked && !lingering() && (lifecycle == Lifecycle.OUTPUT_ENDED
                || (readsEnded() && exchanges.isEmpty() && current == null))) {
            startLinger();
            return;
        }
        if (exchanges.drainedBelowLowWater()) {
            for (Http1Exchange ex : exchanges.snapshot()) {
                ex.fireWritable();
                if (closed()) {
                    return;
                }
            }
        }
        if (readPaused && !resumeScheduled && exchanges.size() < config.maxPipelined()
                && exchanges.pendingBytes() <= config.lowWaterMark()) {
            resumeScheduled = true;
            loop.execute(this::resumeReading);
        }
        updateInterest();
        updateTimeout();
    }

    /**
     * Ends output with a FIN (close_notify first for TLS) and drains what the client still sends for a
     * short while, so that it reads the last response instead of a reset (nginx's lingering close).
     */
    private void startLinger() {
        advance(Lifecycle.LINGERING);
        exchanges.abortAll();
        leftover = null;
        transport.shutdownOutput();
        updateInterest();
        updateTimeout();
    }

    /** Closes at once; exchanges not yet finished get their onClose callbacks. */
    void closeNow() {
        if (closed()) {
            return;
        }
        lifecycle = Lifecycle.CLOSED;
        timer.cancel();
        if (key != null) {
            key.cancel();
        }
        transport.close();
        current = null;
        leftover = null;
        exchanges.abortAll();
        server.connectionClosed(this);
    }

    private void updateInterest() {
        if (closed() || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (lingering() || (!readPaused && !readsEnded())) {
            ops |= SelectionKey.OP_READ;
        }
        if (writeBlocked && !lingering()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interest) {
            key.interestOps(ops);
            interest = ops;
        }
    }

    // ---- timeouts

    private ConnectionTimer.Phase currentPhase() {
        if (lingering()) {
            return ConnectionTimer.Phase.LINGER;
        }
        if (writeBlocked) {
            return ConnectionTimer.Phase.WRITE;
        }
        if (!readsEnded() && parser.inProgress()) {
            return ConnectionTimer.Phase.REQUEST;
        }
        if (exchanges.isEmpty() && current == null) {
            return requestsRead == 0 ? ConnectionTimer.Phase.FRESH : ConnectionTimer.Phase.IDLE;
        }
        return ConnectionTimer.Phase.NONE;
    }

    private void updateTimeout() {
        if (!closed()) {
            timer.update(currentPhase());
        }
    }

    private void onTimer() {
        if (closed()) {
            return;
        }
        ConnectionTimer.Phase p = currentPhase();
        if (!timer.expired(p)) {
            updateTimeout();
            return;
        }
        switch (p) {
            case REQUEST:
                server.log(LogLevel.DEBUG, "request from " + remote + " not received in time");
                protocolError(408, "request timeout");
                updateTimeout();
                break;
            case WRITE:
                server.log(LogLevel.DEBUG, "client " + remote + " stopped reading; closing");
                closeNow();
                break;
            default:
                closeNow();
                break;
        }
    }
}
