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
        ByteBuffer[] frame;
        ByteBuffer pooled = null;
        try {
            byte[] body = FrameCodec.bodyOf(message);
            if (body == null || body.length < FrameCodec.SEPARATE_BODY_BYTES) {
                // Packed into this thread's reused buffer, then copied into a pooled one (or an
                // exact array when too large): no allocation per frame in the steady state.
                FrameOutput out = codec.packed(message);
                if (out.size() <= pool.bufferBytes()) {
                    pooled = pool.acquire();
                    pooled.put(out.array(), 0, out.size()).flip();
                    frame = null;
                } else {
                    frame = new ByteBuffer[] {ByteBuffer.wrap(java.util.Arrays.copyOf(out.array(), out.size()))};
                }
            } else {
                frame = codec.encodeParts(message);
            }
        } catch (IpcProtocolException | IllegalArgumentException e) {
            throw refused(message, e);
        }
        long bytes = 0;
        if (pooled != null) {
            bytes = pooled.remaining();
        } else {
            for (ByteBuffer part : frame) {
                bytes += part.remaining();
            }
        }
        // Counted before queueing: the writer can only subtract after it took the frame.
        if (pending.addAndGet(bytes) > DRAIN_THRESHOLD) {
            backlogged.set(true);
        }
        if (pooled != null) {
            enqueuePooled(pooled, message);
        } else {
            enqueue(frame, message);
        }
    }

    /** What {@link #send} throws for a message it cannot encode ({@code e}): the frame limit, or another reason. */
    private static IllegalArgumentException refused(Message message, Exception e) {
        String text = "cannot send " + message.getClass().getSimpleName() + ": " + e.getMessage();
        return e instanceof FrameCodec.Oversized o ? new FrameTooLargeException(text, o) : new IllegalArgumentException(text, e);
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
        ByteBuffer[] frame;
        try {
            frame = codec.encodeParts(message); // a piece is over SEPARATE_BODY_BYTES: a part of its own
        } catch (IpcProtocolException | IllegalArgumentException e) {
            throw refused(message, e);
        }
        long bytes = 0;
        for (ByteBuffer part : frame) {
            bytes += part.remaining();
        }
        if (pending.addAndGet(bytes) > DRAIN_THRESHOLD) {
            backlogged.set(true);
        }
        enqueuePiece(frame, message, piece);
    }

    /**
     * Like {@link #enqueue}, for a frame one of whose parts is over {@code piece}, a {@link PiecePool}
     * array the provider owns now: it {@link PiecePool#release releases} it once that part is written in
     * full or dropped, and not before. This default enqueues the frame and leaves the array to the GC,
     * for providers that do not pool.
     */
    protected void enqueuePiece(ByteBuffer[] frame, Message message, byte[] piece) {
        enqueue(frame, message);
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
    protected void enqueuePooled(ByteBuffer frame, Message message) {
        ByteBuffer copy = ByteBuffer.wrap(java.util.Arrays.copyOfRange(frame.array(), frame.position(), frame.limit()));
        pool.release(frame);
        enqueue(new ByteBuffer[] {copy}, message);
    }

    /**
     * Queues an encoded frame (counted in {@link #pendingBytes} already) to be written, in one piece:
     * its parts in order, with no other frame between them. Any thread.
     *
     * @param frame   the frame's parts ({@link FrameCodec#encodeParts}: a large body is a part of its own)
     * @param message what the frame holds (a provider may track what its peer has answered)
     */
    protected abstract void enqueue(ByteBuffer[] frame, Message message);

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
