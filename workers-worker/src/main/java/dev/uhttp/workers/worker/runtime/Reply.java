package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import dev.uhttp.workers.worker.encoding.ResponseEncoder.Encoded;
import dev.uhttp.workers.worker.encoding.SseFormat;
import dev.uhttp.workers.worker.request.WorkerRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answering state of one request: handled, deferred, streaming, done, or gone (client away). All
 * transitions happen under this object's lock and send their messages through the {@link Outbox}
 * inside it, so the dispatcher sees them in the order they happened, whatever threads call.
 *
 * <p><b>Back-pressure.</b> When the dispatcher reports that a stream's client does not keep up
 * ({@code StreamFlow(id, paused)}), further events and chunks of that stream are held here, in order,
 * up to {@link #holdLimit} bytes, and sent when it resumes. A stream whose held output would go over
 * that limit releases everything it holds to the dispatcher, which cuts the connection once its own
 * per-connection buffer cap ({@code Dispatcher.maxStreamBuffer}) is exceeded and sends
 * {@code ClientGone}, so {@code onDisconnect} is called. Memory stays bounded on both sides.
 */
final class Reply implements WorkerRequest.Responder {
    enum State { HANDLING, DEFERRED, STREAMING, DONE, GONE }

    /** Default for {@link #holdLimit}: 1 MiB (the system property {@value #HOLD_PROPERTY} overrides it). */
    static final long DEFAULT_HOLD_BYTES = 1 << 20;
    static final String HOLD_PROPERTY = "workers.streamHoldBytes";

    private final long id;
    private final WorkerRequest request;
    private final InFlight inFlight;
    private final Registry registry;
    private final Outbox outbox;
    private final Logger log;
    private final long holdLimit;

    private State state = State.HANDLING;
    private boolean flowPaused;
    private ArrayDeque<byte[]> held;
    private long heldBytes;
    private boolean overflowWarned;
    private long lastKeepAliveNanos;

    /** Where replies that outlive their handler are found by id (for ClientGone and StreamFlow). */
    interface Registry {
        void open(Reply reply);

        void closed(Reply reply);
    }

    Reply(WorkerRequest request, InFlight inFlight, Registry registry, Outbox outbox, Logger log, long holdLimit) {
        this.id = request.id();
        this.request = request;
        this.inFlight = inFlight;
        this.registry = registry;
        this.outbox = outbox;
        this.log = log;
        this.holdLimit = holdLimit;
        this.lastKeepAliveNanos = System.nanoTime() - InFlight.KEEP_ALIVE_THROTTLE_NANOS;
    }

    long id() {
        return id;
    }

    synchronized State state() {
        return state;
    }

    // ------------------------------------------------------------------ runtime side

    /**
     * The handler returned {@code result} (already the error result when it threw, {@code failed}).
     * Loop thread. Sends the response, or reports the deferral so the dispatcher frees the slot.
     *
     * @param encoded {@code result} encoded already (on the handler's thread), or null to encode it
     *                here with {@code encoder} if it is needed
     */
    synchronized void handlerReturned(Object result, boolean failed, Encoded encoded, Encoder encoder) {
        switch (state) {
            case HANDLING -> {
                if (result == Worker.DEFERRED && id >= 0) {
                    state = State.DEFERRED;
                    registry.open(this);
                    outbox.send(new Message.Deferred(id));
                } else if (result == Worker.DEFERRED) {
                    state = State.DONE; // fire-and-forget: nothing to answer
                } else {
                    Encoded e = encoded != null ? encoded : encoder.encode(request, result);
                    state = State.DONE;
                    if (id >= 0) {
                        outbox.send(answer(id, e), request);
                    } else if (e.status() >= 400) {
                        log.warning("fire-and-forget request {} answered {}", request, e.status());
                    }
                }
            }
            case STREAMING -> {
                // Started by the handler: the stream is the answer, whatever it returned.
                outbox.send(new Message.Deferred(id));
                if (failed) {
                    endStream();
                }
            }
            case DONE -> {
                if (result != Worker.DEFERRED && result != null && !failed) {
                    log.warning("{} was already answered; ignoring what its handler returned", request);
                }
            }
            case GONE -> {
                // The client left while the handler ran: tell the dispatcher the slot is free either way.
                outbox.send(result == Worker.DEFERRED ? new Message.Deferred(id)
                        : new Message.Response(id, 499, new String[0], new byte[0]));
            }
            default -> throw new IllegalStateException("handler returned twice for " + request);
        }
    }

    /** ClientGone: true when the request was still open (so {@code onDisconnect} is due). Loop thread. */
    synchronized boolean gone() {
        boolean open = state == State.DEFERRED || state == State.STREAMING;
        if (state != State.DONE) {
            state = State.GONE;
        }
        held = null;
        heldBytes = 0;
        registry.closed(this);
        return open;
    }

    /** StreamFlow from the dispatcher. Loop thread. */
    synchronized void flow(boolean paused) {
        flowPaused = paused;
        if (!paused) {
            release();
        }
    }

    // ------------------------------------------------------------------ user side

    @Override
    public synchronized void respond(Object data, Integer status) {
        switch (state) {
            case HANDLING, DEFERRED -> {
                if (id < 0) {
                    log.debug("respond() on fire-and-forget work {} ignored: it has no client", request);
                    state = State.DONE;
                    return;
                }
                Encoded e = encode(data, status);
                state = State.DONE;
                registry.closed(this);
                outbox.send(answer(id, e), request);
            }
            case STREAMING -> log.warning("respond() on {} ignored: it is streaming (end it with responseStreamEnd())", request);
            case DONE -> log.warning("respond() on {} ignored: it was already answered", request);
            case GONE -> {
                // the client is gone: dropped silently
            }
        }
    }

    /** The message carrying {@code e}: a {@code FileResponse} when the answer is a file the dispatcher sends. */
    static Message answer(long id, Encoded e) {
        return e.file() != null ? new Message.FileResponse(id, e.file(), e.headers())
                : new Message.Response(id, e.status(), e.headers(), e.body());
    }

    private Encoded encode(Object data, Integer status) {
        try {
            return status == null || data instanceof Response ? ResponseEncoder.encode(data)
                    : ResponseEncoder.encode(status, data);
        } catch (RuntimeException e) {
            log.error("cannot encode the answer to {}", request, e);
            return ResponseEncoder.encode(500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    @Override
    public synchronized void keepAlive() {
        long now = System.nanoTime();
        if (state == State.HANDLING) {
            if (inFlight.progress(now) && id >= 0) {
                outbox.send(new Message.KeepAlive(id));
            }
        } else if (state == State.DEFERRED && now - lastKeepAliveNanos >= InFlight.KEEP_ALIVE_THROTTLE_NANOS) {
            lastKeepAliveNanos = now;
            outbox.send(new Message.KeepAlive(id));
        }
    }

    @Override
    public synchronized void responseStream(String contentType, Map<String, String> headers, List<Cookie> cookies) {
        switch (state) {
            case HANDLING, DEFERRED -> {
                if (id < 0) {
                    throw new IllegalStateException("fire-and-forget work has no client to stream to");
                }
                String[] head = streamHeaders(contentType, headers, cookies);
                state = State.STREAMING;
                registry.open(this);
                outbox.send(new Message.StreamStart(id, 200, head));
            }
            case STREAMING, DONE -> log.warning("responseStream() on {} ignored: it was already answered", request);
            case GONE -> {
                // the client is gone
            }
        }
    }

    private static String[] streamHeaders(String contentType, Map<String, String> headers, List<Cookie> cookies) {
        String type = contentType == null ? "text/event-stream" : contentType;
        List<String> h = new ArrayList<>();
        boolean explicitType = false;
        boolean cacheControl = false;
        boolean accelBuffering = false;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            explicitType |= e.getKey().equalsIgnoreCase("Content-Type");
            cacheControl |= e.getKey().equalsIgnoreCase("Cache-Control");
            accelBuffering |= e.getKey().equalsIgnoreCase("X-Accel-Buffering");
        }
        if (!explicitType) {
            h.add("Content-Type");
            h.add(type);
        }
        if (type.regionMatches(true, 0, "text/event-stream", 0, 17)) {
            if (!cacheControl) {
                h.add("Cache-Control");
                h.add("no-cache");
            }
            if (!accelBuffering) {
                h.add("X-Accel-Buffering");
                h.add("no");
            }
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            h.add(e.getKey());
            h.add(e.getValue());
        }
        for (Cookie c : cookies) {
            h.add("Set-Cookie");
            h.add(c.toSetCookie());
        }
        return h.toArray(new String[0]);
    }

    @Override
    public boolean sendEvent(Object data, String event, String id, Integer retry) {
        byte[] bytes = SseFormat.event(data, event, id, retry); // outside the lock: may serialise JSON
        return send(bytes, "sendEvent");
    }

    @Override
    public boolean sendComment(String text) {
        return send(SseFormat.comment(text), "sendComment");
    }

    @Override
    public boolean sendChunk(byte[] data) {
        if (data == null || data.length == 0) {
            return isOpen();
        }
        // No copy: Request.sendChunk's contract is that the array is not changed afterwards (the
        // frame encoder copies it once).
        return send(data, "sendChunk");
    }

    private synchronized boolean send(byte[] bytes, String what) {
        switch (state) {
            case STREAMING -> {
                if (!flowPaused) {
                    outbox.send(new Message.StreamChunk(id, bytes));
                    return true;
                }
                if (held == null) {
                    held = new ArrayDeque<>();
                }
                held.addLast(bytes);
                heldBytes += bytes.length;
                if (heldBytes > holdLimit) {
                    if (!overflowWarned) {
                        overflowWarned = true;
                        log.warning("stream {}: the client reads too slowly ({} bytes held); passing them on, "
                                + "the dispatcher cuts the stream over its buffer cap", request, heldBytes);
                    }
                    release();
                }
                return true;
            }
            case HANDLING, DEFERRED -> throw new IllegalStateException(what + "() before responseStream() on " + request);
            default -> {
                return false; // answered, ended or gone: dropped silently
            }
        }
    }

    private void release() {
        if (held != null) {
            byte[] b;
            while ((b = held.pollFirst()) != null) {
                outbox.send(new Message.StreamChunk(id, b));
            }
            heldBytes = 0;
        }
    }

    @Override
    public synchronized void responseStreamEnd() {
        switch (state) {
            case STREAMING -> endStream();
            case HANDLING, DEFERRED -> throw new IllegalStateException("responseStreamEnd() before responseStream() on " + request);
            default -> {
                // already over
            }
        }
    }

    private void endStream() {
        release();
        state = State.DONE;
        registry.closed(this);
        outbox.send(new Message.StreamEnd(id));
    }

    @Override
    public synchronized boolean isOpen() {
        return id >= 0 && (state == State.HANDLING || state == State.DEFERRED || state == State.STREAMING);
    }

    /** Encodes a handler result with the processor's error handling. */
    @FunctionalInterface
    interface Encoder {
        Encoded encode(WorkerRequest request, Object result);
    }

    @Override
    public String toString() {
        return "Reply[" + request + " " + state + "]";
    }
}
