package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.FrameTooLargeException;
import dev.uhttp.workers.ipc.IpcChannel;

import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.PiecePool;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import dev.uhttp.workers.worker.encoding.ResponseEncoder.Encoded;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends messages to the dispatcher from any thread, in one order: the order of the {@link #send}
 * calls, whatever thread makes them (a stream's start queued by a pool thread is never overtaken by a
 * chunk sent on the loop thread). The channel may only be used on its loop, so messages go through
 * one queue that the loop thread drains: at once when the caller is the loop thread, else through
 * {@link EventLoop#execute}. Messages sent after the channel closed are dropped.
 *
 * <p>A message the channel cannot encode (a response over the frame limit) does not end the worker:
 * it is logged as an error, and a response is replaced by a 500 {@code {"error": "response too large
 * ..."}} so that its request is still answered.
 */
final class Outbox {
    private final EventLoop loop;
    private final IpcChannel channel;
    /** {@link Message}s, or {@link About} for a message that names its request. */
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = () -> {
        drainScheduled.set(false);
        drain();
    };
    private volatile Logger log;
    /** Large responses being sent in pieces, by request id (loop thread only). */
    private final Map<Long, LargeResponse> large = new java.util.HashMap<>();

    /**
     * Responses of at least this many bytes go as {@code ResponseStart}, pieces and {@code StreamEnd}
     * under the dispatcher's credit, so the dispatcher never holds a whole large body.
     */
    static final int LARGE_RESPONSE_BYTES = 256 * 1024;
    /** The most a large response's pieces get ahead of what the dispatcher wrote to its client. */
    static final long RESPONSE_WINDOW = 1024 * 1024;
    static final int PIECE_BYTES = PiecePool.PIECE_BYTES;

    /** A large response on its way, as far as the dispatcher's credit goes. */
    private static final class LargeResponse {
        final long id;
        final byte[] body;
        int sent;
        long credit = RESPONSE_WINDOW;

        LargeResponse(long id, byte[] body) {
            this.id = id;
            this.body = body;
        }
    }

    /** A message with what it answers (for the error log if it cannot be sent). */
    private record About(Message message, Object request) {
    }

    Outbox(EventLoop loop, IpcChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /** Where messages that cannot be sent are reported (the worker's logger, once it exists). */
    void log(Logger log) {
        this.log = log;
    }

    void send(Message message) {
        enqueue(message);
    }

    /** Sends {@code message}, the answer to {@code request} (named in the log if it cannot be sent). */
    void send(Message message, Object request) {
        enqueue(new About(message, request));
    }

    private void enqueue(Object item) {
        queue.add(item);
        if (loop.inEventLoop()) {
            drain();
        } else if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    /** Loop thread: sends everything queued, oldest first. */
    private void drain() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (!channel.isOpen()) {
                continue;
            }
            Message m = item instanceof About a ? a.message() : (Message) item;
            if (m instanceof Message.Response r && r.id() >= 0 && r.body().length >= LARGE_RESPONSE_BYTES) {
                startLarge(r);
                continue;
            }
            try {
                channel.send(m);
            } catch (IllegalArgumentException e) {
                unsendable(m, item instanceof About a ? a.request() : null, e);
            }
        }
    }

    private void startLarge(Message.Response r) {
        channel.send(new Message.ResponseStart(r.id(), r.status(), r.headers(), r.body().length));
        LargeResponse l = new LargeResponse(r.id(), r.body());
        large.put(l.id, l);
        pump(l);
    }

    /** Loop thread: the dispatcher wrote {@code bytes} more of response {@code id} to its client. */
    void responseCredit(long id, long bytes) {
        LargeResponse l = large.get(id);
        if (l != null) {
            l.credit += bytes;
            pump(l);
        }
    }

    /** Loop thread: the client of {@code id} is gone; a large response to it stops. */
    void gone(long id) {
        large.remove(id);
    }

    private void pump(LargeResponse l) {
        while (l.credit > 0 && l.sent < l.body.length && channel.isOpen()) {
            int n = Math.min(PIECE_BYTES, l.body.length - l.sent);
            if (n == PiecePool.PIECE_BYTES) {
                // A pool array: the channel gives it back once written (no new array per piece).
                byte[] piece = PiecePool.shared().acquire();
                System.arraycopy(l.body, l.sent, piece, 0, n);
                channel.sendPiece(new Message.StreamChunk(l.id, piece));
            } else {
                channel.send(new Message.StreamChunk(l.id, java.util.Arrays.copyOfRange(l.body, l.sent, l.sent + n)));
            }
            l.sent += n;
            l.credit -= n;
        }
        if (l.sent == l.body.length) {
            large.remove(l.id);
            channel.send(new Message.StreamEnd(l.id));
        }
    }

    /** The channel refused {@code m} (it stays open): report it and still answer a response's request. */
    private void unsendable(Message m, Object request, IllegalArgumentException e) {
        boolean tooLarge = e instanceof FrameTooLargeException;
        String reason = tooLarge ? ((FrameTooLargeException) e).reason() : e.getMessage();
        Logger l = log;
        if (m instanceof Message.Response r) {
            answerInstead(r.id(), tooLarge, reason);
            if (l != null) {
                l.error("cannot send the response to {} (status {}, {} body bytes): {}; answered 500 instead",
                        request != null ? request : "#" + r.id(), r.status(), r.body().length, reason);
            }
        } else if (m instanceof Message.FileResponse r) {
            answerInstead(r.id(), tooLarge, reason);
            if (l != null) {
                l.error("cannot send the file response to {} ({}): {}; answered 500 instead",
                        request != null ? request : "#" + r.id(), r.path(), reason);
            }
        } else if (l != null) {
            l.error("cannot send a {} message{}: {}", m.getClass().getSimpleName(),
                    request != null ? " for " + request : "", reason);
        }
    }

    private void answerInstead(long id, boolean tooLarge, String reason) {
        Encoded error = ResponseEncoder.encode(500, Map.of("error",
                (tooLarge ? "response too large: " : "response cannot be sent: ") + reason));
        channel.send(new Message.Response(id, error.status(), error.headers(), error.body()));
    }
}
