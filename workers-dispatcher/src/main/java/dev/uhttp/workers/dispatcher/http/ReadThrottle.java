package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.loop.SelectorLoop;

/**
 * When an {@link HttpConnection} stops and resumes reading its client (pipelining and output limits, a
 * streamed body's slow consumer); apart from the connection because it is flow control, not I/O.
 */
final class ReadThrottle {
    private final HttpConnection conn;
    private final SelectorLoop loop;
    private final HttpLimits config;
    private final ResponseQueue exchanges;
    private final RequestIntake intake;
    /** New requests are not read: too many wait for their answers, or too much output is buffered. */
    private boolean readPaused;
    /** A streamed request body's consumer is behind: the client's socket is not read (back-pressure). */
    private boolean bodyHeld;
    private boolean resumeScheduled;

    ReadThrottle(HttpConnection conn, SelectorLoop loop, HttpLimits config, ResponseQueue exchanges,
                 RequestIntake intake) {
        this.conn = conn;
        this.loop = loop;
        this.config = config;
        this.exchanges = exchanges;
        this.intake = intake;
    }

    /** Whether neither limit holds reading back. */
    boolean open() {
        return !readPaused && !bodyHeld;
    }

    boolean readPaused() {
        return readPaused;
    }

    boolean bodyHeld() {
        return bodyHeld;
    }

    /**
     * Stops reading (and so dispatching) new requests while {@link HttpLimits#maxPipelined()} wait
     * for their answers or while the output buffered for the client exceeds
     * {@link HttpLimits#maxStreamBuffer()}; {@link #resumeIfDrained} resumes below both (output at
     * the low-water mark). Only between requests: a request partly received is read to its end first.
     */
    void pauseIfBusy() {
        if (!readPaused && !conn.readsEnded() && !intake.busy()
                && (exchanges.size() >= config.maxPipelined() || exchanges.pendingBytes() > config.maxStreamBuffer())) {
            readPaused = true;
            conn.updateInterest();
        }
    }

    /** Holds or releases reading for a streamed body whose consumer is behind ({@link RequestBodyQueue}). */
    void holdBody(boolean hold) {
        if (hold == bodyHeld || conn.closed()) {
            return;
        }
        bodyHeld = hold;
        if (hold) {
            conn.updateInterest();
            conn.updateTimeout();
        } else {
            loop.execute(this::releasedBody);
        }
    }

    private void releasedBody() {
        if (conn.closed() || bodyHeld) {
            return;
        }
        if (!readPaused && !conn.readsEnded() && conn.transport().hasBufferedInput()) {
            conn.onReadable();
            if (conn.closed()) {
                return;
            }
        }
        conn.updateInterest();
        conn.updateTimeout();
    }

    /** After a flush: schedules reading again once the answers waiting and the output buffered are low. */
    void resumeIfDrained() {
        if (readPaused && !resumeScheduled && exchanges.size() < config.maxPipelined()
                && exchanges.pendingBytes() <= config.lowWaterMark()) {
            resumeScheduled = true;
            loop.execute(this::resumeReading);
        }
    }

    private void resumeReading() {
        resumeScheduled = false;
        if (conn.closed() || !readPaused) {
            return;
        }
        readPaused = false;
        if (intake.hasLeftover()) {
            intake.processLeftover();
            if (conn.closed()) {
                return;
            }
        }
        if (!readPaused && conn.transport().hasBufferedInput()) {
            conn.onReadable();
            if (conn.closed()) {
                return;
            }
        }
        conn.updateInterest();
        conn.updateTimeout();
    }
}
