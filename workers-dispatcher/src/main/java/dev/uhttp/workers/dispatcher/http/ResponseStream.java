package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.LogLevel;

/**
 * The body of a streamed answer ({@link HttpExchange#startStream}) after its head: chunks, pieces of an
 * announced length, or (HTTP/1.0) bytes up to the connection's close. Made when an exchange starts a
 * stream, so an exchange answered whole carries none of this state.
 */
final class ResponseStream {
    private final Http1Exchange exchange;
    private final HttpConnection conn;
    private final boolean chunked;
    /** A stream of announced length: its bytes still to come; -1 when no length was announced. */
    private long fixedLeft;

    ResponseStream(Http1Exchange exchange, HttpConnection conn, boolean chunked, long fixedLeft) {
        this.exchange = exchange;
        this.conn = conn;
        this.chunked = chunked;
        this.fixedLeft = fixedLeft;
    }

    /** Queues a piece; false when it was not queued (so a pooled piece is still the caller's). */
    boolean send(byte[] data, boolean pooled) {
        if (data == null || data.length == 0 || !conn.acceptsOutput()) {
            return false;
        }
        if (fixedLeft >= 0) {
            if (data.length > fixedLeft) {
                conn.log(LogLevel.ERROR, "response to " + exchange.method() + " " + exchange.path()
                        + " went past its Content-Length; dropping the rest");
                return false;
            }
            fixedLeft -= data.length;
            exchange.bodyQueued(data.length);
            exchange.enqueue(pooled ? OutboundPart.Bytes.piece(data) : OutboundPart.Bytes.of(data));
            conn.outputAdded(exchange, false); // the caller bounds it (credit), not the stream cap
            return true;
        }
        exchange.bodyQueued(data.length);
        if (chunked) {
            ChunkEncoder.encode(data, pooled, exchange.queue()); // size line, data (by reference, no copy), CRLF
        } else {
            exchange.enqueue(pooled ? OutboundPart.Bytes.piece(data) : OutboundPart.Bytes.of(data));
        }
        conn.outputAdded(exchange, true);
        return true;
    }

    /** The stream's end: the last chunk, or a close when fewer bytes came than announced. */
    void end() {
        if (!conn.acceptsOutput()) {
            return;
        }
        if (fixedLeft > 0) {
            // Fewer bytes than announced: the client cannot tell the response's end; close after it.
            conn.log(LogLevel.ERROR, "response to " + exchange.method() + " " + exchange.path() + " ended "
                    + fixedLeft + " bytes short of its Content-Length; closing the connection");
            exchange.closeAfter = true;
            conn.stopReadingRequests();
        }
        if (chunked) {
            ChunkEncoder.finish(exchange.queue());
        }
        conn.outputAdded(exchange, false);
    }
}
