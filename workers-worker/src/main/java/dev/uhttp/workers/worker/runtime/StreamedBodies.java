package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.PiecePool;
import dev.uhttp.workers.worker.request.RequestBodyStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The streamed request bodies still arriving at a worker, by request id: those read by their running
 * handler ({@link RequestBodyStream}), and those collected whole on its loop thread before their handler runs:
 * those with an announced length within the request's {@code bufferLimit} (a mid-size body, such as a
 * 1 MiB POST over the 64 KiB streaming threshold). The handler would hold such a body whole anyway
 * ({@code body()}), or read it at memory speed, so running it at once on a thread of its own, woken per
 * piece, only costs: a thread hand-off per piece, credit messages as the handler reads, and a second
 * copy when {@code body()} assembles the pieces. Collected here, each piece is copied once into the
 * final array, credit goes back as pieces arrive (the worker will hold the body anyway), and the
 * handler then runs as for a plain request (on the loop with {@code concurrency(1)}).
 *
 * <p>Loop thread only.
 */
final class StreamedBodies {
    /** Credit goes back per this many bytes received (as {@code RequestBodyStream} does per bytes read). */
    static final long CREDIT_BATCH = 256 * 1024;

    /** A body being collected. */
    private static final class Collecting {
        final Message.Request head;
        final byte[] body;
        int at;
        long uncredited;
        boolean overflow;

        Collecting(Message.Request head, int length) {
            this.head = head;
            this.body = new byte[length];
        }
    }

    /** What {@link #gone} found of a body. */
    enum Gone { NONE, COLLECTED, READ }

    private final Map<Long, Collecting> byId = new HashMap<>();
    private final Map<Long, RequestBodyStream> read = new HashMap<>();
    private final Outbox outbox;
    private ExecutorService handlerThread;

    StreamedBodies(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Whether a streamed request's body is collected here (its length is known and within its buffer limit). */
    static boolean collects(Message.StreamedRequest s) {
        return s.length() >= 0 && s.length() <= s.bufferLimit() && s.length() <= Integer.MAX_VALUE - 16;
    }

    /**
     * The body of {@code r}, which its handler reads as it arrives, from its first piece on: each 256
     * KiB the handler consumes goes back as {@code BodyCredit}, and each piece counts as progress.
     */
    RequestBodyStream reading(Message.Request r, InFlight f) {
        long id = r.id();
        var body = new RequestBodyStream(n -> outbox.send(new Message.BodyCredit(id, n)),
                () -> f.progress(System.nanoTime()));
        body.add(r.body());
        read.put(id, body);
        return body;
    }

    /**
     * With concurrency 1, the thread for handlers of bodies read as they arrive: such a handler waits
     * for its body, which the loop thread receives, so it cannot run on the loop. Made when first needed.
     */
    ExecutorService handlerThread(String workerName) {
        if (handlerThread == null) {
            handlerThread = Executors.newSingleThreadExecutor(t -> {
                Thread thread = new Thread(t, workerName + "-body-handler");
                thread.setDaemon(true);
                return thread;
            });
        }
        return handlerThread;
    }

    /** The worker exits. */
    void close() {
        if (handlerThread != null) {
            handlerThread.shutdownNow();
        }
    }

    /** Starts collecting the body of {@code s} (which {@link #collects}) with its first piece. */
    void collect(Message.StreamedRequest s) {
        Collecting c = new Collecting(s.request(), (int) s.length());
        byId.put(s.id(), c);
        outbox.send(new Message.BodyCredit(s.id(), 0)); // wanted now: a client waiting for 100 Continue may send
        add(c, s.request().body());
    }

    /**
     * The next piece of a body. Its array (the decoder's, from the {@link PiecePool}) goes back to the
     * pool once copied into a collected body, or once the handler has read it ({@link RequestBodyStream}).
     */
    void add(long id, byte[] piece) {
        Collecting c = byId.get(id);
        if (c != null) {
            add(c, piece);
            PiecePool.shared().release(piece);
        } else {
            RequestBodyStream body = read.get(id);
            if (body != null) {
                body.add(piece);
            } else {
                PiecePool.shared().release(piece); // its request is gone
            }
        }
    }

    private void add(Collecting c, byte[] piece) {
        if (piece == null || piece.length == 0) {
            return;
        }
        if (piece.length > c.body.length - c.at) {
            c.overflow = true; // the dispatcher checks Content-Length: this is a bug, answered at the end
            return;
        }
        System.arraycopy(piece, 0, c.body, c.at, piece.length);
        c.at += piece.length;
        c.uncredited += piece.length;
        if (c.uncredited >= CREDIT_BATCH && c.at < c.body.length) {
            outbox.send(new Message.BodyCredit(c.head.id(), c.uncredited));
            c.uncredited = 0;
        }
    }

    /**
     * The body of {@code id} is complete: the request with the whole body when it was collected, else
     * null (a handler reading it sees its end).
     *
     * @throws IllegalStateException when the pieces did not add up to the announced length
     */
    Message.Request end(long id) {
        RequestBodyStream body = read.remove(id);
        if (body != null) {
            body.end();
        }
        Collecting c = byId.remove(id);
        if (c == null) {
            return null;
        }
        if (c.overflow || c.at != c.body.length) {
            throw new IllegalStateException("request body of " + c.body.length + " bytes announced, "
                    + (c.overflow ? "more" : Integer.toString(c.at)) + " received");
        }
        Message.Request h = c.head;
        return new Message.Request(h.id(), h.method(), h.path(), h.query(), h.headers(), c.body, h.remoteHost(),
                h.remotePort(), h.secure(), h.context(), h.requestId());
    }

    /** Whether a body is being collected (its request is held, though no handler runs yet). */
    boolean collecting() {
        return !byId.isEmpty();
    }

    /** The client of {@code id} left before its body was complete: a handler reading it fails now. */
    Gone gone(long id) {
        if (byId.remove(id) != null) {
            return Gone.COLLECTED;
        }
        RequestBodyStream body = read.remove(id);
        if (body == null) {
            return Gone.NONE;
        }
        body.fail("client disconnected before the request body was complete");
        return Gone.READ;
    }

    /** The handler of {@code id} returned: a body it did not read to the end fails for anyone else. */
    void handlerReturned(long id) {
        RequestBodyStream body = read.remove(id);
        if (body != null) {
            body.fail("the handler returned before reading the whole request body");
        }
    }
}
