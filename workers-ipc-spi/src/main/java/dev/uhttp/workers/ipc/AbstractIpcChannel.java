package dev.uhttp.workers.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every {@link IpcChannel} provider shares; for use by providers, not by the dispatcher or the
 * worker runtime (they use {@link IpcChannel}). It owns:
 * <ul>
 *   <li>the {@link #start} handshake, including a channel that closed before it was started (its
 *       listener then hears {@code onClosed} at once);</li>
 *   <li>{@link #send}: encoding, with the failure contract of {@link IpcChannel#send} (an unencodable
 *       message throws and the channel stays open), then {@link #enqueue} of the frame;</li>
 *   <li>the back-pressure accounting: {@link #pendingBytes}, the backlog mark and {@code onDrained};</li>
 *   <li>closing once ({@link #closeOnce}), telling the listener on the loop thread.</li>
 * </ul>
 * Subclasses do the I/O: {@link #started}, {@link #enqueue}, {@link #closing}.
 */
public abstract class AbstractIpcChannel implements IpcChannel {

    /** Backlog size after which the listener hears {@code onDrained} when the backlog is written. */
    public static final long DRAIN_THRESHOLD = 1 << 20;

    private final FrameCodec codec;
    private final FrameBufferPool pool = FrameBufferPool.shared();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean backlogged = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    // Set by the constructor or by start(); guarded by this until started, read freely after.
    private volatile EventLoop loop;
    private volatile Listener listener;
    private boolean closedBeforeStart;
    private IOException closedBeforeStartCause;

    /**
     * @param loop the loop the channel is bound to already, or null to take the one given to {@link #start}
     */
    protected AbstractIpcChannel(FrameCodec codec, EventLoop loop) {
        this.codec = codec;
        this.loop = loop;
    }

    protected final FrameCodec codec() {
        return codec;
    }

    /** The loop: set at construction or by {@link #start}, else null. */
    protected final EventLoop loop() {
        return loop;
    }

    /** The listener once started, else null. */
    protected final Listener listener() {
        return listener;
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public final void start(EventLoop loop, Listener listener) throws IOException {
        boolean early;
        synchronized (this) {
            if (this.listener != null) {
                throw new IllegalStateException("channel already started");
            }
            if (this.loop != null && this.loop != loop) {
                throw new IllegalArgumentException("a dispatcher-side channel must be started on its IPC server's loop");
            }
            this.loop = loop;
            this.listener = listener;
            early = closedBeforeStart;
        }
        if (early) {
            IOException cause = closedBeforeStartCause;
            loop.execute(() -> listener.onClosed(cause));
            return;
        }
        started();
    }

    /** Called by {@link #start} (on its caller's thread) unless the channel closed before: begin receiving. */
    protected abstract void started() throws IOException;

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /** Whether the channel is closed. */
    protected final boolean isClosed() {
        return closed.get();
    }

    /**
     * Whether {@code cause} only says that the other side closed its end: a write to a pipe or socket
     * whose reader is gone (EPIPE) or that reset the connection. That is the same event as the end of
     * the stream on a read, which of the two comes first is chance, so both are a clean close.
     */
    static boolean peerClosed(IOException cause) {
        String message = cause == null ? null : cause.getMessage();
        return message != null && (message.contains("Broken pipe") || message.contains("Connection reset by peer"));
    }

    /**
     * Closes once: {@link #closing} then {@code onClosed(cause)} on the loop thread (or, before
     * {@link #start}, as soon as the channel is started). Later calls do nothing.
     *
     * @param flush passed to {@link #closing}: a clean close that may still write what is queued
     */
    protected final void closeOnce(IOException cause, boolean flush) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IOException reported = peerClosed(cause) ? null : cause;
        closing(flush);
        Listener l;
        synchronized (this) {
            l = listener;
            if (l == null) {
                closedBeforeStart = true;
                closedBeforeStartCause = reported;
                return;
            }
        }
        loop.execute(() -> l.onClosed(reported));
    }

    /**
     * Releases the transport, once, on the thread that closes. {@code flush}: queued frames may still
     * be written; else they are dropped (call {@link #discardPending}).
     */
    protected abstract void closing(boolean flush);

    // ------------------------------------------------------------------ sending

    /**
     * Encodes {@code message} and {@link #enqueue enqueues} the frame; dropped when the channel is closed.
     *
     * @throws FrameTooLargeException   when the message's frame would exceed the frame limit
     * @throws IllegalArgumentException when the message cannot be encoded otherwise (a value the codec
     *                                  cannot send); in both cases nothing is queued and the channel stays open
     */
    @Override
    public final void send(Message message) {
        if (closed.get()) {
            return;
        }
        long request = message instanceof Message.Request r ? r.id() : -1;
        byte[] body = FrameCodec.bodyOf(message);
        if (body == null || body.length < FrameCodec.SEPARATE_BODY_BYTES) {
            FrameOutput out;
            try {
                out = codec.packed(message);
            } catch (IpcProtocolException | IllegalArgumentException e) {
                throw refused(message.getClass().getSimpleName(), e);
            }
            queuePacked(out, request);
            return;
        }
        enqueue(encodedParts(message), request);
    }

    /** {@code message} encoded with its large body as a part of its own, its bytes counted. */
    private ByteBuffer[] encodedParts(Message message) {
        ByteBuffer[] frame;
        try {
            frame = codec.encodeParts(message);
        } catch (IpcProtocolException | IllegalArgumentException e) {
            throw refused(message.getClass().getSimpleName(), e);
        }
        long bytes = 0;
        for (ByteBuffer part : frame) {
            bytes += part.remaining();
        }
        counted(bytes);
        return frame;
    }

    /**
     * The {@link Message.Request} with these fields, packed straight from them into a pooled buffer: no
     * record, and {@code requestId} may be a reused builder (read before this returns). A body of
     * {@value FrameCodec#SEPARATE_BODY_BYTES} bytes or more goes through {@link #send}.
     */
    @Override
    public final void sendRequest(long id, String method, String path, String query, String[] headers, byte[] body,
                                  String remoteHost, int remotePort, boolean secure, Object context,
                                  CharSequence requestId) {
        if (body.length >= FrameCodec.SEPARATE_BODY_BYTES) {
            send(new Message.Request(id, method, path, query, headers, body, remoteHost, remotePort, secure, context,
                    requestId.toString()));
            return;
        }
        if (closed.get()) {
            return;
        }
        FrameOutput out;
        try {
            out = codec.packedRequest(id, method, path, query, headers, body, remoteHost, remotePort, secure, context,
                    requestId);
        } catch (IpcProtocolException | IllegalArgumentException e) {
            throw refused("Request", e);
        }
        queuePacked(out, id);
    }

    private static IllegalArgumentException refused(String what, Exception e) {
        String text = "cannot send " + what + ": " + e.getMessage();
        return e instanceof FrameCodec.Oversized o ? new FrameTooLargeException(text, o) : new IllegalArgumentException(text, e);
    }

    /**
     * A frame packed in this thread's reused buffer, copied into a pooled one (or an exact array when too
     * large) and queued: no allocation per frame in the steady state.
     */
    private void queuePacked(FrameOutput out, long request) {
        if (out.size() <= pool.bufferBytes()) {
            ByteBuffer pooled = pool.acquire();
            pooled.put(out.array(), 0, out.size()).flip();
            counted(pooled.remaining());
            enqueuePooled(pooled, request);
        } else {
            ByteBuffer frame = ByteBuffer.wrap(java.util.Arrays.copyOf(out.array(), out.size()));
            counted(frame.remaining());
            enqueue(new ByteBuffer[] {frame}, request);
        }
    }

    /** Counted before queueing: the writer can only subtract after it took the frame. */
    private void counted(long bytes) {
        if (pending.addAndGet(bytes) > DRAIN_THRESHOLD) {
            backlogged.set(true);
        }
    }

    /**
     * Sends a message whose body is a pooled piece ({@link IpcChannel#sendPiece}): its frame's parts
     * go to {@link #enqueuePiece}, the piece's array a part of its own; dropped (the array given back)
     * when the channel is closed.
     */
    @Override
    public final void sendPiece(Message.HasBody message) {
        byte[] piece = message.body();
        if (piece.length != PiecePool.PIECE_BYTES) {
            send(message); // not a pooled array
            return;
        }
        if (closed.get()) {
            PiecePool.shared().release(piece);
            return;
        }
        // A piece is over SEPARATE_BODY_BYTES: a part of its own; and no client request's frame.
        enqueuePiece(encodedParts(message), -1, piece);
    }

    /**
     * Like {@link #enqueue}, for a frame one of whose parts is over {@code piece}, a {@link PiecePool}
     * array the provider owns now: it {@link PiecePool#release releases} it once that part is written in
     * full or dropped, and not before. This default enqueues the frame and leaves the array to the GC,
     * for providers that do not pool.
     */
    protected void enqueuePiece(ByteBuffer[] frame, long request, byte[] piece) {
        enqueue(frame, request);
    }

    /** The pool {@link #enqueuePooled} frames come from. */
    protected final FrameBufferPool pool() {
        return pool;
    }

    /**
     * Like {@link #enqueue}, for a whole frame in a buffer of {@link #pool()}: the provider owns it now
     * and {@link FrameBufferPool#release releases} it once it is written in full or dropped, and not
     * before (a partly written buffer stays untouched until the rest is written). This default copies
     * it into an array of its own and releases it at once, for providers that do not pool.
     */
    protected void enqueuePooled(ByteBuffer frame, long request) {
        ByteBuffer copy = ByteBuffer.wrap(java.util.Arrays.copyOfRange(frame.array(), frame.position(), frame.limit()));
        pool.release(frame);
        enqueue(new ByteBuffer[] {copy}, request);
    }

    /**
     * Queues an encoded frame (counted in {@link #pendingBytes} already) to be written, in one piece:
     * its parts in order, with no other frame between them. Any thread.
     *
     * @param frame   the frame's parts ({@link FrameCodec#encodeParts}: a large body is a part of its own)
     * @param request the id of the client request the frame carries ({@link Message.Request} with an id
     *                of 0 or more), else -1: a provider may track what its peer has answered
     */
    protected abstract void enqueue(ByteBuffer[] frame, long request);

    @Override
    public long pendingBytes() {
        return Math.max(0, pending.get());
    }

    /** {@code bytes} of queued frames were written; returns what is still pending. */
    protected final long written(long bytes) {
        return pending.addAndGet(-bytes);
    }

    /** Queued frames were dropped (closing on an error). */
    protected final void discardPending() {
        pending.set(0);
    }

    /** The backlog had to wait for the peer: {@code onDrained} is due when it is written. */
    protected final void markBacklogged() {
        backlogged.set(true);
    }

    /** Everything queued was written: tells the listener {@code onDrained} (on the loop) if a backlog was marked. */
    protected final void drained() {
        if (!backlogged.compareAndSet(true, false)) {
            return;
        }
        EventLoop l = loop;
        if (l != null) {
            l.execute(() -> {
                Listener li = listener;
                if (!closed.get() && li != null) {
                    li.onDrained();
                }
            });
        }
    }
}
