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
    private final HttpLimits config;
    private final Transport transport;
    private final InetSocketAddress remote;
    private final RequestParser parser;
    private final ResponseQueue exchanges;
    private final RequestIntake intake;
    private SelectionKey key;
    private int interest = -1;

    private ConnectionLifecycle lifecycle = ConnectionLifecycle.OPEN;
    private boolean writeBlocked;
    private boolean flushing;
    private final ConnectionTimer timer;
    private final ReadThrottle throttle;

    private final String listener;
    /** Output buffers its exchanges reuse. */
    final ReusedOutput reused = new ReusedOutput();

    HttpConnection(HttpServer server, SelectorLoop loop, HttpLimits config, Transport transport,
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
        this.throttle = new ReadThrottle(this, loop, config, exchanges, intake);
    }

    RequestIds requestIds() {
        return server.requestIds();
    }

    boolean closed() {
        return lifecycle == ConnectionLifecycle.CLOSED;
    }

    /** Whether requests are read now: not paused, no streamed body held back, reads not ended. */
    boolean mayRead() {
        return throttle.open() && !readsEnded();
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

    /** {@code ex} served its request: the next one on this connection may use it ({@link Http1Exchange#reuseOnceWritten}). */
    void keepForReuse(Http1Exchange ex) {
        intake.spare = ex;
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

    /** See {@link ReadThrottle#pauseIfBusy}. */
    void pauseReadingIfBusy() {
        throttle.pauseIfBusy();
    }

    void holdBody(boolean hold) {
        throttle.holdBody(hold);
    }

    void bodyQueued(long delta) {
        server.bodyQueued(delta);
    }

    /** Whether reading new requests is paused (for tests and diagnostics). */
    boolean isReadPaused() {
        return throttle.readPaused();
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

    void onReadable() {
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
        if (!mayRead()) {
            return;
        }
        intake.readFrom(transport, buf);
        if (closed()) {
            return;
        }
        updateInterest();
        updateTimeout();
    }

    /** Some of a request's body came: its timeout restarts. */
    void bodyProgress() {
        timer.restart(ConnectionTimer.Phase.REQUEST);
    }

    /** A request was read entirely: the request phase is over. */
    void requestCompleted() {
        timer.forgetPhase();
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
        throttle.resumeIfDrained();
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

    void updateInterest() {
        if (closed() || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (lingering() || mayRead()) {
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
        if (throttle.bodyHeld() || intake.awaitingContinue()) {
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

    void updateTimeout() {
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
