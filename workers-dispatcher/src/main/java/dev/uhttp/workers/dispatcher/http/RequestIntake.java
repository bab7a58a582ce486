package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.LogLevel;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The input side of an {@link HttpConnection}: feeds received bytes to the parser, opens an exchange
 * when a request head is complete ({@code 100 Continue} if asked: at once for a body collected whole,
 * when its handler reads it for a streamed one), hands the complete request to the
 * server, and turns a parse error into an error exchange. Bytes received while reading is paused are
 * kept (the only copy on this path) and parsed when it resumes.
 */
final class RequestIntake {
    private static final String[] ALLOW = {"Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"};

    private final HttpConnection conn;
    private final HttpServer server;
    private final HttpLimits config;
    private final ResponseQueue exchanges;
    final RequestParser parser;
    /** The exchange whose request is being received (head read, body not yet complete). */
    private Http1Exchange current;
    private ByteBuffer leftover;
    /** An exchange whose request is over, for the next request ({@link Http1Exchange#reuseOnceWritten}), or null. */
    Http1Exchange spare;
    private int requestsRead;

    RequestIntake(HttpConnection conn, HttpServer server, HttpLimits config, ResponseQueue exchanges) {
        this.conn = conn;
        this.server = server;
        this.config = config;
        this.exchanges = exchanges;
        this.parser = new RequestParser(config);
        parser.streamWith(head -> server.streamBodyLimit(head, conn.listener()));
    }

    Http1Exchange current() {
        return current;
    }

    /** Whether the request being received waits, before its body, for its handler to want it (100 Continue). */
    boolean awaitingContinue() {
        return current != null && current.streamedBody() instanceof RequestBodyQueue body && body.awaitingContinue();
    }

    int requestsRead() {
        return requestsRead;
    }

    /** Whether a request is partly received, or kept bytes wait to be parsed. */
    boolean busy() {
        return current != null || parser.inProgress();
    }

    boolean hasLeftover() {
        return leftover != null;
    }

    void dropLeftover() {
        leftover = null;
    }

    /** The connection closed: the request being received is forgotten (its exchange is aborted with the others). */
    void clear() {
        current = null;
        spare = null;
        leftover = null;
        parser.dropStreamed();
    }

    /** Parses the kept bytes (reading resumed). */
    void processLeftover() {
        process(leftover);
    }

    /**
     * Reads from {@code transport} and parses what came, while the connection may read and input is
     * waiting; {@code buf} is the server's shared read buffer. The connection may be closed on return.
     */
    void readFrom(Transport transport, ByteBuffer buf) {
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
                server.log(LogLevel.DEBUG, "read from " + conn.remoteAddress() + " failed: " + e);
                conn.closeNow();
                return;
            }
            if (transport.hasPendingOutput()) {
                conn.flush();
                if (conn.closed()) {
                    return;
                }
            }
            if (n < 0) {
                conn.closeNow(); // the client went away (or half-closed): pending exchanges are aborted
                return;
            }
            if (n == 0) {
                break;
            }
            if (body != null) {
                bodyRead(n);
            } else {
                buf.flip();
                process(buf);
            }
            if (conn.closed()) {
                return;
            }
            if (parser.inBody()) {
                conn.bodyProgress(); // the body timeout runs between reads (client_body_timeout)
            }
            // A body that filled what was asked may have more waiting: read on (bounded by the hold mark
            // for streamed bodies, by maxContentLength for whole ones) instead of one read per wake-up.
            more = n == asked && parser.inBody();
        } while (conn.mayRead() && (more || transport.hasBufferedInput()));
        if (!conn.closed()) {
            parser.flushStreamed(); // a streamed body's bytes go on now, not when its piece is full
        }
    }

    /** {@code n} body bytes were read straight into {@link RequestParser#bodyTarget()}. */
    void bodyRead(int n) {
        if (parser.bodyRead(n) == RequestParser.COMPLETE) {
            completeRequest();
        }
    }

    /** Parses {@code buf} (flipped) request by request, until it is consumed or reading stops. */
    void process(ByteBuffer buf) {
        while (buf.hasRemaining()) {
            if (conn.readsEnded()) {
                buf.position(buf.limit());
                return;
            }
            if (conn.isReadPaused()) {
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
                current = spare;
                if (current != null) {
                    spare = null;
                    current.start(parser.head());
                } else {
                    current = new Http1Exchange(conn, parser.head());
                }
                exchanges.add(current);
            }
            if (ev == RequestParser.HEADERS) {
                if (parser.streaming()) {
                    startStreamedBody();
                } else if (parser.head().expectContinue()) {
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

    /**
     * The head of a request whose body streams: the handler gets the exchange now, and the body's
     * pieces as they are parsed ({@link HttpExchange#streamedBody()}).
     */
    private void startStreamedBody() {
        RequestHead head = parser.head();
        RequestBodyQueue body = new RequestBodyQueue(conn,
                head.framing() == RequestHead.Framing.CHUNKED ? -1 : head.contentLength());
        current.streamBody(body);
        parser.streamTo(new BodyCollector(body));
        if (head.expectContinue()) {
            body.continueWhenWanted(current); // 100 once the handler reads; not at all if it answers first
        }
        server.dispatch(current);
    }

    private void completeRequest() {
        Http1Exchange ex = current;
        current = null;
        ex.receivedNanos = System.nanoTime();
        boolean streamed = ex.streamedBody() != null;
        if (!streamed) {
            ex.body = parser.takeBody();
        }
        boolean keepAlive = parser.head().keepAlive();
        parser.reset();
        requestsRead++;
        conn.requestCompleted();
        if (!keepAlive || requestsRead >= config.maxRequestsPerConnection() || server.isDraining()) {
            ex.last = true;
            conn.stopReadingRequests();
        }
        if (streamed) {
            // dispatched when its head arrived; the body's end reached it through the stream
        } else if ("*".equals(ex.path())) {
            ex.respond(200, ALLOW, null); // OPTIONS * : the server's capabilities
        } else {
            server.dispatch(ex);
        }
        conn.pauseReadingIfBusy();
    }

    /** Answers {@code status} with a JSON error on an exchange of its own, then the connection closes. */
    void protocolError(int status, String message) {
        server.log(LogLevel.DEBUG, "bad request from " + conn.remoteAddress() + ": " + status + " " + message);
        RequestHead readSoFar = parser.head();
        if (current != null) {
            exchanges.remove(current);
            if (current.streamedBody() != null) {
                current.connectionClosed(); // its handler has it: the body will not come (onClose)
            }
            current = null;
        }
        conn.stopReadingRequests();
        // Its head as far as it was read (for the access log and the request id), or none.
        Http1Exchange err = new Http1Exchange(conn, readSoFar != null ? readSoFar : new RequestHead("", "", "/", "",
                parser.isHttp11(), new String[0], false, false, RequestHead.Framing.NONE, 0));
        err.receivedNanos = System.nanoTime();
        exchanges.add(err);
        err.respondError(status, message, true);
    }
}
