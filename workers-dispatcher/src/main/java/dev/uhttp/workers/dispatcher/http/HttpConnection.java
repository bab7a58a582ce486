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
    private final HttpServer server;
    private final SelectorLoop loop;
    private final HttpServerConfig config;
    private final Transport transport;
    private final InetSocketAddress remote;
    private final RequestParser parser;
    private final ResponseQueue exchanges;
    private final RequestIntake intake;
    private SelectionKey key;
    private int interest = -1;

    private ConnectionLifecycle lifecycle = ConnectionLifecycle.OPEN;
    private boolean readPaused;
    /** A streamed request body's consumer is behind: the client's socket is not read (back-pressure). */
    private boolean bodyHeld;
    private boolean resumeScheduled;
    private boolean writeBlocked;
    private boolean flushing;
    private final ConnectionTimer timer;

    private final String listener;

    HttpConnection(HttpServer server, SelectorLoop loop, HttpServerConfig config, Transport transport,
                   InetSocketAddress remote, String listener) {
        this.listener = listener;
        this.server = server;
        this.loop = loop;
        this.config = config;
        this.transport = transport;
        this.remote = remote;
        this.exchanges = new ResponseQueue(config.lowWaterMark());
        this.intake = new RequestIntake(this, server, config, exchanges);
        this.parser = intake.parser;
        this.timer = new ConnectionTimer(loop, config, this::onTimer);
    }

    RequestIds requestIds() {
        return server.requestIds();
    }


    private boolean closed() {
        return lifecycle == ConnectionLifecycle.CLOSED;
    }

    /** Whether no more requests are read (true from {@link ConnectionLifecycle#READS_ENDED} on). */
    boolean readsEnded() {
        return lifecycle != ConnectionLifecycle.OPEN;
    }

    private boolean lingering() {
        return lifecycle == ConnectionLifecycle.LINGERING;
    }

    private void advance(ConnectionLifecycle to) {
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

    /** The name of the listener it came through. */
    String listener() {
        return listener;
    }

    boolean isSecure() {
        return transport.isSecure();
    }

    boolean acceptsOutput() {
        return lifecycle.compareTo(ConnectionLifecycle.OUTPUT_ENDED) < 0;
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
        return intake.current() == null && exchanges.newest() == ex;
    }

    /** Whether nothing is in flight: no request partly read, none waiting for or writing its answer. */
    boolean isIdle() {
        return !closed() && exchanges.isEmpty() && !intake.busy();
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
        if (lifecycle == ConnectionLifecycle.OPEN) {
            lifecycle = ConnectionLifecycle.READS_ENDED;
            intake.dropLeftover();
            updateInterest();
        }
    }

    void addPending(long n) {
        exchanges.addPending(n);
    }

    void written(long n) {
        exchanges.written(n);
        exchanges.oldest().bytesSent += n; // only the oldest exchange is ever written
        progress();
    }

    /** {@code n} bytes of a file region were sent. */
    void fileWritten(long n) {
        exchanges.oldest().bytesSent += n;
        progress();
    }

    /** {@code ex} ended (written entirely, or its connection closed first). */
    void exchangeEnded(Http1Exchange ex, boolean complete) {
        server.exchangeEnded(ex, complete);
    }

    /** Which of {@link HttpServer#CONNECTION_STATES} it is in. */
    int stateIndex() {
        if (lifecycle.compareTo(ConnectionLifecycle.OUTPUT_ENDED) >= 0) {
            return 4; // closing
        }
        if (writeBlocked) {
            return 2; // writing
        }
        if (intake.busy()) {
            return 0; // reading
        }
        return exchanges.isEmpty() ? 3 : 1; // idle : processing
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
    void pauseReadingIfBusy() {
        if (!readPaused && !readsEnded() && !intake.busy()
                && (exchanges.size() >= config.maxPipelined() || exchanges.pendingBytes() > config.maxStreamBuffer())) {
            readPaused = true;
            updateInterest();
        }
    }

    /** Holds or releases reading for a streamed body whose consumer is behind ({@link RequestBodyQueue}). */
    void holdBody(boolean hold) {
        if (hold == bodyHeld || closed()) {
            return;
        }
        bodyHeld = hold;
        if (hold) {
            updateInterest();
            updateTimeout();
        } else {
            loop.execute(this::releasedBody);
        }
    }

    private void releasedBody() {
        if (closed() || bodyHeld) {
            return;
        }
        if (!readPaused && !readsEnded() && transport.hasBufferedInput()) {
            onReadable();
            if (closed()) {
                return;
            }
        }
        updateInterest();
        updateTimeout();
    }

    void bodyQueued(long delta) {
        server.bodyQueued(delta);
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
        if (readPaused || bodyHeld || readsEnded()) {
            return;
        }
        boolean more;
        do {
            // A body of announced length is read straight into its own buffer (TLS decrypts whole
            // records, so it needs room a body's last bytes may not leave: it goes through buf).
            ByteBuffer body = transport.isSecure() ? null : parser.bodyTarget();
            int n;
            int asked;
            try {
                if (body == null) {
                    buf.clear();
                }
                asked = body != null ? body.remaining() : buf.remaining();
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
                intake.bodyRead(n);
            } else {
                buf.flip();
                intake.process(buf);
            }
            if (closed()) {
                return;
            }
            if (parser.inBody()) {
                timer.restart(ConnectionTimer.Phase.REQUEST); // the body timeout runs between reads (client_body_timeout)
            }
            // A body that filled what was asked may have more waiting: read on (bounded by the hold mark
            // for streamed bodies, by maxContentLength for whole ones) instead of one read per wake-up.
            more = n == asked && parser.inBody();
        } while (!readPaused && !bodyHeld && !readsEnded() && (more || transport.hasBufferedInput()));
        if (!closed()) {
            parser.flushStreamed(); // a streamed body's bytes go on now, not when its piece is full
        }
        if (closed()) {
            return;
        }
        updateInterest();
        updateTimeout();
    }

    /** A request was read entirely: the request phase is over. */
    void requestCompleted() {
        timer.forgetPhase();
    }

    private void resumeReading() {
        resumeScheduled = false;
        if (closed() || !readPaused) {
            return;
        }
        readPaused = false;
        if (intake.hasLeftover()) {
            intake.processLeftover();
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
                    advance(ConnectionLifecycle.OUTPUT_ENDED);
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
        if (!writeBlocked && !lingering() && (lifecycle == ConnectionLifecycle.OUTPUT_ENDED
                || (readsEnded() && exchanges.isEmpty() && intake.current() == null))) {
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
        advance(ConnectionLifecycle.LINGERING);
        exchanges.abortAll();
        intake.dropLeftover();
        transport.shutdownOutput();
        updateInterest();
        updateTimeout();
    }

    /** Closes at once; exchanges not yet finished get their onClose callbacks. */
    void closeNow() {
        if (closed()) {
            return;
        }
        lifecycle = ConnectionLifecycle.CLOSED;
        timer.cancel();
        if (key != null) {
            key.cancel();
        }
        transport.close();
        intake.clear();
        exchanges.abortAll();
        server.connectionClosed(this);
    }

    private void updateInterest() {
        if (closed() || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (lingering() || (!readPaused && !bodyHeld && !readsEnded())) {
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
        if (bodyHeld) {
            return ConnectionTimer.Phase.NONE; // waiting for the body's consumer, not for the client
        }
        if (!readsEnded() && parser.inProgress()) {
            return ConnectionTimer.Phase.REQUEST;
        }
        if (exchanges.isEmpty() && intake.current() == null) {
            return intake.requestsRead() == 0 ? ConnectionTimer.Phase.FRESH : ConnectionTimer.Phase.IDLE;
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
                intake.protocolError(408, "request timeout");
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
