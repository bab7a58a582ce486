package dev.uhttp.workers.ipc.pipe;

import dev.uhttp.workers.ipc.AbstractIpcChannel;
import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.FrameDecoder;
import dev.uhttp.workers.ipc.Message;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A channel over a pair of blocking streams (the child's stdin/stdout on either side). Streams are not
 * selectable, so a daemon reader thread decodes frames and hands them to the loop in batches (one
 * {@link EventLoop#execute} per batch, not per frame), and a daemon writer thread drains the queue that
 * {@link #send} fills without blocking. Start, send and back-pressure accounting are
 * {@link AbstractIpcChannel}'s.
 *
 * <p>Back-pressure: {@link #pendingBytes} counts encoded bytes not yet written; once it has exceeded
 * {@value #DRAIN_THRESHOLD} bytes, {@code onDrained} follows when it is back to zero. Inbound, the
 * reader stops reading while about {@value #INBOX_LIMIT} bytes wait for the loop, so a slow loop
 * pushes back on the peer's writes instead of buffering without limit.
 *
 * <p>{@link #close} stops reading at once; frames already queued are still written by the writer
 * thread, which then closes the output stream (the peer sees end of stream). A protocol or I/O error
 * drops what is queued.
 */
final class PipeChannel extends AbstractIpcChannel {

    /** Received bytes (estimated) waiting for the loop before the reader pauses. */
    static final long INBOX_LIMIT = 4 << 20;

    /** Tells the writer thread to finish. */
    private static final ByteBuffer[] END = new ByteBuffer[0];

    private final InputStream in;
    private final OutputStream out;
    /** Frames from the peer; used by the reader thread only. */
    private final FrameDecoder decoder;
    private final String peer;

    /** Frames (each its parts) for the writer thread. */
    private final LinkedBlockingQueue<ByteBuffer[]> outbox = new LinkedBlockingQueue<>();

    /**
     * Bytes of frames a writer may put in the pipe without waiting: {@value #PIPE_SAFE_BYTES} on the
     * dispatcher side (whose loop must never block), unlimited on the worker side (its loop may wait
     * for the dispatcher, which always reads).
     */
    private final long inlineLimit;
    private final Object writeLock = new Object();
    /** Frames handed to the writer thread and not yet written; inline writes only when 0. Guarded by writeLock. */
    private int queuedForWriter;
    /** Bytes of all frames written or queued, in order. Guarded by writeLock. */
    private long sentBytes;
    /** Bytes the peer has certainly read (it answered a request sent before them). Guarded by writeLock. */
    private long readByPeer;
    /** Request id to {@link #sentBytes} at the end of its frame, until the peer answers it. Guarded by writeLock. */
    private final RequestEnds requestEnds = new RequestEnds();

    private final Object inboxLock = new Object();
    /** Messages and the final {@link End}, in arrival order; guarded by {@link #inboxLock}. */
    private ArrayDeque<Object> inbox = new ArrayDeque<>();
    /** The last batch {@link #drain} emptied, the next {@link #inbox}: no new deque per drain. Loop thread. */
    private ArrayDeque<Object> spareInbox = new ArrayDeque<>();
    private final Runnable drainTask = this::drain;
    private long inboxBytes;
    private boolean drainScheduled;

    /** End of the inbound stream: null cause for a clean end of stream. */
    private record End(IOException cause) {
    }

    /** No write of this size or less blocks on a Linux pipe with room for it: the smallest pipe holds one page. */
    static final int PIPE_SAFE_BYTES = 4096;

    /**
     * @param blockingWritesAllowed the worker side: frames are written on the sending thread, which may
     *                              wait for the pipe; else (the dispatcher side) only while the peer has
     *                              provably read all but {@value #PIPE_SAFE_BYTES} bytes
     */
    PipeChannel(InputStream in, OutputStream out, FrameCodec codec, String peer, boolean blockingWritesAllowed) {
        super(codec, null);
        this.inlineLimit = blockingWritesAllowed ? Long.MAX_VALUE : PIPE_SAFE_BYTES;
        // A child's stdout (Process.getInputStream) is buffered already. Wrapped again, every refill would
        // ask it for more than it holds, and a short read makes BufferedInputStream call available():
        // fstat and ioctl(FIONREAD), two system calls per frame. The decoder asks for a frame's prefix,
        // then its payload: exact sizes that the one buffer (the JDK's 8 KiB) serves without them. The
        // output side needs no such care: a flush of ours is one write of the JDK's buffered stream.
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 64 * 1024);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.decoder = new FrameDecoder(codec);
        this.peer = peer;
        // Writing needs no loop, so sends made before start() go out at once.
        Thread writer = new Thread(this::writeLoop, "uhttp-ipc-pipe-writer (" + peer + ")");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    protected void started() {
        Thread reader = new Thread(this::readLoop, "uhttp-ipc-pipe-reader (" + peer + ")");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Writes the frame on the calling thread when nothing is queued before it and the pipe takes it
     * without waiting (see {@link #inlineLimit}): no hand-off to the writer thread, which costs a thread
     * wake-up per frame. Else queues it for the writer thread, in order.
     */
    @Override
    protected void enqueue(ByteBuffer[] frame, long request) {
        enqueueFrame(frame, null, request);
    }

    /**
     * Written inline like {@link #enqueue} when it can be, and released at once (the stream copied
     * it); else copied for the writer thread and released: the pool's buffers never leave this call.
     */
    @Override
    protected void enqueuePooled(ByteBuffer frame, long request) {
        enqueueFrame(null, frame, request);
    }

    /** {@code frame}'s parts, or {@code pooled}, a whole frame in a buffer of the pool. */
    private void enqueueFrame(ByteBuffer[] frame, ByteBuffer pooled, long request) {
        int n = pooled != null ? pooled.remaining() : size(frame);
        synchronized (writeLock) {
            sentBytes += n;
            if (inlineLimit != Long.MAX_VALUE && request >= 0) {
                requestEnds.add(request, sentBytes);
            }
            if (queuedForWriter == 0 && sentBytes - readByPeer <= inlineLimit && !isClosed()) {
                try {
                    if (pooled != null) {
                        pool().checkOwned(pooled);
                        out.write(pooled.array(), pooled.arrayOffset() + pooled.position(), n);
                    } else {
                        write(frame);
                    }
                    out.flush();
                } catch (IOException e) {
                    fail(e, false);
                    return;
                } finally {
                    if (pooled != null) {
                        pool().release(pooled);
                    }
                }
                if (written(n) <= 0) {
                    drained();
                }
                return;
            }
            queuedForWriter++;
        }
        if (pooled != null) {
            frame = new ByteBuffer[] {ByteBuffer.wrap(Arrays.copyOfRange(pooled.array(), pooled.position(), pooled.limit()))};
            pool().release(pooled);
        }
        outbox.add(frame);
    }

    /** The peer answered request {@code id}: it has read everything up to the end of that request's frame. */
    private void answered(long id) {
        synchronized (writeLock) {
            long end = requestEnds.answered(id);
            if (end > readByPeer) {
                readByPeer = end;
            }
        }
    }

    @Override
    public void close() {
        fail(null, true);
    }

    // ------------------------------------------------------------------ reading

    private void readLoop() {
        try {
            while (!isClosed()) {
                Message m = decoder.read(in);
                if (m == null) {
                    post(new End(null), 0);
                    return;
                }
                if (inlineLimit != Long.MAX_VALUE) {
                    long answers = answeredRequest(m);
                    if (answers >= 0) {
                        answered(answers);
                    }
                }
                post(m, estimatedSize(m));
            }
        } catch (IOException e) {
            if (!isClosed()) {
                try {
                    post(new End(e), 0);
                } catch (InterruptedException ignored) {
                    fail(e, false);
                }
            }
        } catch (InterruptedException e) {
            fail(new IOException("pipe reader interrupted", e), false);
        }
    }

    private void post(Object item, long size) throws InterruptedException {
        boolean schedule;
        synchronized (inboxLock) {
            while (inboxBytes > INBOX_LIMIT && !isClosed()) {
                inboxLock.wait();
            }
            inbox.add(item);
            inboxBytes += size;
            schedule = !drainScheduled;
            drainScheduled = true;
        }
        if (schedule) {
            loop().execute(drainTask);
        }
    }

    /** On the loop: delivers everything received so far in one go. */
    private void drain() {
        ArrayDeque<Object> batch;
        synchronized (inboxLock) {
            batch = inbox;
            inbox = spareInbox != null ? spareInbox : new ArrayDeque<>();
            spareInbox = null;
            inboxBytes = 0;
            drainScheduled = false;
            inboxLock.notifyAll();
        }
        try {
            Object item;
            while ((item = batch.poll()) != null) {
                if (item instanceof End end) {
                    fail(end.cause(), false);
                } else if (!isClosed()) {
                    listener().onMessage((Message) item);
                }
            }
        } finally {
            if (!batch.isEmpty()) {
                // The listener threw: keep the rest, in order, for the next turn rather than lose it.
                requeue(batch);
            } else {
                spareInbox = batch;
            }
        }
    }

    private void requeue(ArrayDeque<Object> rest) {
        boolean schedule;
        synchronized (inboxLock) {
            rest.addAll(inbox);
            inbox = rest;
            schedule = !drainScheduled;
            drainScheduled = true;
        }
        if (schedule) {
            loop().execute(drainTask);
        }
    }

    /** The request a message from the worker shows it has read (any message about it), or -1. */
    private static long answeredRequest(Message m) {
        return m instanceof Message.AboutRequest a ? a.id() : -1;
    }

    private static long estimatedSize(Message m) {
        return m instanceof Message.HasBody b ? 128L + b.body().length : 64;
    }

    // ------------------------------------------------------------------ writing

    private void writeLoop() {
        try {
            while (true) {
                ByteBuffer[] frame = outbox.take();
                if (frame == END) {
                    out.flush();
                    return;
                }
                int n = size(frame);
                write(frame);
                boolean last;
                synchronized (writeLock) {
                    last = queuedForWriter == 1;
                }
                // Flushed (outside the lock: it may wait for the pipe) before the count reaches 0, when
                // inline writes may start: nothing may stay buffered behind them.
                if (last || outbox.isEmpty()) {
                    out.flush();
                }
                synchronized (writeLock) {
                    queuedForWriter--;
                }
                if (written(n) <= 0) {
                    drained();
                }
            }
        } catch (IOException e) {
            fail(e, false);
        } catch (InterruptedException e) {
            fail(new IOException("pipe writer interrupted", e), false);
        } finally {
            closeQuietly(out);
        }
    }

    private void write(ByteBuffer[] frame) throws IOException {
        for (ByteBuffer part : frame) {
            out.write(part.array(), part.arrayOffset() + part.position(), part.remaining());
        }
    }

    private static int size(ByteBuffer[] frame) {
        int n = 0;
        for (ByteBuffer part : frame) {
            n += part.remaining();
        }
        return n;
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes once. {@code flush}: let the writer finish what is queued (a clean close) instead of
     * dropping it (an error).
     */
    private void fail(IOException cause, boolean flush) {
        closeOnce(cause, flush);
    }

    @Override
    protected void closing(boolean flush) {
        if (!flush) {
            outbox.clear();
            discardPending();
        }
        outbox.add(END);
        // Output is closed by the writer thread only: closing it here could block on its lock.
        closeQuietly(in);
        synchronized (inboxLock) {
            inboxLock.notifyAll();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "PipeChannel[" + peer + (isClosed() ? ", closed]" : "]");
    }
}
