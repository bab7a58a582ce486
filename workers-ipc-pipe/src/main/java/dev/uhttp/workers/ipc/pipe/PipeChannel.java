package dev.uhttp.workers.ipc.pipe;

import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProtocolException;
import dev.uhttp.workers.ipc.Message;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel over a pair of blocking streams (the child's stdin/stdout on either side). Streams are not
 * selectable, so a daemon reader thread decodes frames and hands them to the loop in batches (one
 * {@link EventLoop#execute} per batch, not per frame), and a daemon writer thread drains the queue that
 * {@link #send} fills without blocking.
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
final class PipeChannel implements IpcChannel {

    /** Backlog size after which the listener hears {@code onDrained} when the queue empties. */
    static final long DRAIN_THRESHOLD = 1 << 20;
    /** Received bytes (estimated) waiting for the loop before the reader pauses. */
    static final long INBOX_LIMIT = 4 << 20;

    /** Tells the writer thread to finish. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final InputStream in;
    private final OutputStream out;
    private final FrameCodec codec;
    private final String peer;

    private final LinkedBlockingQueue<ByteBuffer> outbox = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean backlogged = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Object inboxLock = new Object();
    /** Messages and the final {@link End}, in arrival order; guarded by {@link #inboxLock}. */
    private ArrayDeque<Object> inbox = new ArrayDeque<>();
    private long inboxBytes;
    private boolean drainScheduled;

    // Set once by start(); guarded by this until then, read freely after.
    private volatile EventLoop loop;
    private volatile Listener listener;
    private boolean closedBeforeStart;
    private IOException closedBeforeStartCause;

    /** End of the inbound stream: null cause for a clean end of stream. */
    private record End(IOException cause) {
    }

    PipeChannel(InputStream in, OutputStream out, FrameCodec codec, String peer) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.codec = codec;
        this.peer = peer;
        // Writing needs no loop, so sends made before start() go out at once.
        Thread writer = new Thread(this::writeLoop, "uhttp-ipc-pipe-writer (" + peer + ")");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void start(EventLoop loop, Listener listener) throws IOException {
        boolean early;
        synchronized (this) {
            if (this.listener != null) {
                throw new IllegalStateException("channel already started");
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
        Thread reader = new Thread(this::readLoop, "uhttp-ipc-pipe-reader (" + peer + ")");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void send(Message message) {
        if (closed.get()) {
            return;
        }
        ByteBuffer frame;
        try {
            frame = codec.encode(message);
        } catch (IpcProtocolException e) {
            fail(e, false);
            return;
        } catch (IllegalArgumentException e) {
            fail(new IpcProtocolException("cannot encode " + message.getClass().getSimpleName() + ": "
                    + e.getMessage(), e), false);
            return;
        }
        // Mark the backlog before queueing: the writer can only subtract after it took the frame.
        if (pending.addAndGet(frame.remaining()) > DRAIN_THRESHOLD) {
            backlogged.set(true);
        }
        outbox.add(frame);
    }

    @Override
    public long pendingBytes() {
        return Math.max(0, pending.get());
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        fail(null, true);
    }

    // ------------------------------------------------------------------ reading

    private void readLoop() {
        try {
            while (!closed.get()) {
                Message m = codec.read(in);
                if (m == null) {
                    post(new End(null), 0);
                    return;
                }
                post(m, estimatedSize(m));
            }
        } catch (IOException e) {
            if (!closed.get()) {
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
            while (inboxBytes > INBOX_LIMIT && !closed.get()) {
                inboxLock.wait();
            }
            inbox.add(item);
            inboxBytes += size;
            schedule = !drainScheduled;
            drainScheduled = true;
        }
        if (schedule) {
            loop.execute(this::drain);
        }
    }

    /** On the loop: delivers everything received so far in one go. */
    private void drain() {
        ArrayDeque<Object> batch;
        synchronized (inboxLock) {
            batch = inbox;
            inbox = new ArrayDeque<>();
            inboxBytes = 0;
            drainScheduled = false;
            inboxLock.notifyAll();
        }
        try {
            Object item;
            while ((item = batch.poll()) != null) {
                if (item instanceof End end) {
                    fail(end.cause(), false);
                } else if (!closed.get()) {
                    listener.onMessage((Message) item);
                }
            }
        } finally {
            if (!batch.isEmpty()) {
                // The listener threw: keep the rest, in order, for the next turn rather than lose it.
                requeue(batch);
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
            loop.execute(this::drain);
        }
    }

    private static long estimatedSize(Message m) {
        if (m instanceof Message.Request r) {
            return 256L + r.body().length;
        } else if (m instanceof Message.Response r) {
            return 128L + r.body().length;
        } else if (m instanceof Message.StreamChunk c) {
            return 32L + c.data().length;
        }
        return 64;
    }

    // ------------------------------------------------------------------ writing

    private void writeLoop() {
        try {
            while (true) {
                ByteBuffer frame = outbox.take();
                if (frame == END) {
                    out.flush();
                    return;
                }
                int n = frame.remaining();
                out.write(frame.array(), frame.arrayOffset() + frame.position(), n);
                if (outbox.isEmpty()) {
                    out.flush();
                }
                if (pending.addAndGet(-n) <= 0 && backlogged.compareAndSet(true, false)) {
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

    private void drained() {
        EventLoop l = loop;
        if (l != null) {
            l.execute(() -> {
                if (!closed.get()) {
                    listener.onDrained();
                }
            });
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes once. {@code flush}: let the writer finish what is queued (a clean close) instead of
     * dropping it (an error).
     */
    private void fail(IOException cause, boolean flush) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!flush) {
            outbox.clear();
            pending.set(0);
        }
        outbox.add(END);
        // Output is closed by the writer thread only: closing it here could block on its lock.
        closeQuietly(in);
        synchronized (inboxLock) {
            inboxLock.notifyAll();
        }
        Listener l;
        synchronized (this) {
            l = listener;
            if (l == null) {
                closedBeforeStart = true;
                closedBeforeStartCause = cause;
                return;
            }
        }
        loop.execute(() -> l.onClosed(cause));
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
        return "PipeChannel[" + peer + (closed.get() ? ", closed]" : "]");
    }
}
