package dev.uhttp.workers.ipc.unixsocket;

import dev.uhttp.workers.ipc.AbstractIpcChannel;
import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.FrameDecoder;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.PiecePool;
import dev.uhttp.workers.ipc.ResponseView;
import dev.uhttp.workers.ipc.loop.HeapBufferIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A channel over a non-blocking Unix domain socket registered in an {@link EventLoop}; the same class
 * serves the dispatcher side (created at launch, live once the worker has connected and passed the
 * checks) and the worker side (connected already, registered on {@link #start}).
 *
 * <p>Reads are decoded incrementally with a {@link FrameDecoder}. Writes are queued as encoded frames
 * and written with gathering writes; {@code OP_WRITE} is of interest only while a backlog exists.
 * {@code onDrained} follows when a backlog empties: one that made a write wait for the socket, or one
 * that exceeded {@value #DRAIN_THRESHOLD} bytes. {@link #close} makes one non-blocking attempt to write
 * what is queued (on the loop thread), then closes. Start, send and back-pressure accounting are
 * {@link AbstractIpcChannel}'s.
 */
final class UnixSocketChannel extends AbstractIpcChannel {

    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** Reads per readiness event, so one busy peer cannot starve the others on the loop. */
    private static final int MAX_READS_PER_EVENT = 16;
    private static final int MAX_GATHER = 64;
    /**
     * While body pieces arrive (the last read ended inside one): what a read into the read buffer
     * asks for, a piece's frame head and the start of its body; the rest of the body is then read in
     * place ({@link FrameDecoder#payloadTarget}), not copied out of the read buffer.
     */
    private static final int PIECE_HEAD_READ = 2 * 1024;

    private final FrameDecoder decoder;
    /** Called once when the channel closes (the server forgets a launch that never connected). */
    private final Consumer<UnixSocketChannel> onClose;
    private volatile String peer;

    /** Encoded frames not yet written; guarded by this. */
    private final Outbox outbox = new Outbox();

    private volatile SocketChannel socket;
    private volatile SelectionKey key;
    private ByteBuffer readBuffer;
    /** Whether the last read into {@link #readBuffer} ended inside a large frame's body (pieces are coming). */
    private boolean piecesComing;
    /** Reused for gathering writes; loop thread only, or under {@link #writeLock}. */
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    /**
     * Worker side only: a frame sent from another thread is written at once, not on the loop, since a
     * handler may hold the loop thread (its watchdog's stacks must still get out). Writes then take
     * {@link #writeLock}; the dispatcher side writes on its loop only, without a lock.
     */
    private final boolean writesFromAnyThread;
    /** Dispatcher side (loop thread): a flush of the queued frames is due at the end of this loop turn. */
    private boolean flushQueuedSoon;
    /** That flush, made once (not a method reference per loop turn). */
    private final Runnable flushTask = this::flushNow;
    private final Object writeLock = new Object();
    /** {@link #deliver} and {@link #deliverResponse}, made once (not a method reference per read). */
    private final Consumer<Message> deliverTask = this::deliver;
    private final Consumer<ResponseView> deliverResponseTask = this::deliverResponse;

    private UnixSocketChannel(FrameCodec codec, EventLoop loop, SocketChannel socket, String peer,
                              Consumer<UnixSocketChannel> onClose) {
        super(codec, loop);
        this.writesFromAnyThread = loop == null;
        this.decoder = new FrameDecoder(codec);
        this.socket = socket;
        this.peer = peer;
        this.onClose = onClose;
    }

    /** Dispatcher side: a channel whose worker has not connected yet; it lives on {@code loop}. */
    static UnixSocketChannel awaiting(FrameCodec codec, EventLoop loop, String peer,
                                      Consumer<UnixSocketChannel> onClose) {
        return new UnixSocketChannel(codec, loop, null, peer, onClose);
    }

    /** Worker side: a connected, still blocking socket, registered in the loop given to {@link #start}. */
    static UnixSocketChannel connected(FrameCodec codec, SocketChannel socket) {
        return new UnixSocketChannel(codec, null, socket, "dispatcher", c -> {
        });
    }

    void describePeer(String description) {
        this.peer = description;
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    protected void started() throws IOException {
        if (loop().inEventLoop()) {
            begin();
        } else {
            loop().execute(this::beginOrFail);
        }
    }

    private void beginOrFail() {
        try {
            begin();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** On the loop: registers the worker side, or starts reading on an already connected dispatcher side. */
    private void begin() throws IOException {
        if (isClosed()) {
            return;
        }
        SelectionKey k = key;
        if (k == null && socket != null) {
            // Worker side: the socket was connected (blocking) before the loop existed.
            k = loop().register(socket, SelectionKey.OP_READ, this::ready);
            key = k;
            flush();
        } else if (k != null) {
            k.interestOps(k.interestOps() | SelectionKey.OP_READ);
        }
        // Else the worker has not connected yet: connected() enables reading.
    }

    /**
     * Dispatcher side, on the loop: the worker connected and passed the checks; {@code acceptedKey} is
     * the socket's key in this channel's loop, taken over from the handshake.
     */
    void connected(SocketChannel accepted, SelectionKey acceptedKey) {
        if (isClosed()) {
            closeQuietly(accepted);
            return;
        }
        socket = accepted;
        key = acceptedKey;
        acceptedKey.attach((EventLoop.IoHandler) this::ready);
        acceptedKey.interestOps(listener() != null ? SelectionKey.OP_READ : 0);
        flushOrFail(); // what was sent while the worker was starting
    }

    /** Dispatcher side: the worker process exited; if it never connected, nothing else will tell. */
    void processExited(int status) {
        if (socket == null) {
            fail(new IOException(peer + " exited with status " + status + " before connecting"));
        }
    }

    @Override
    public void close() {
        if (!isClosed() && key != null && loop().inEventLoop()) {
            // Best effort for the last frames (a final response, a stop): no waiting for the peer.
            try {
                synchronized (writeLock) { // uncontended but for a worker's watchdog
                    write();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        fail(null);
    }

    /** Closes once and tells the listener (on the loop). */
    void fail(IOException cause) {
        closeOnce(cause, false);
    }

    @Override
    protected void closing(boolean flush) {
        SocketChannel s = socket;
        if (s != null) {
            closeQuietly(s); // also cancels the key
        }
        List<ByteBuffer> dropped = new ArrayList<>();
        List<byte[]> droppedPieces = new ArrayList<>();
        synchronized (this) {
            outbox.drop(dropped, droppedPieces);
        }
        discardPending();
        if (!dropped.isEmpty() || !droppedPieces.isEmpty()) {
            // Only the loop writes them (dispatcher side): released there, after any write in progress.
            Runnable release = () -> {
                dropped.forEach(pool()::release);
                droppedPieces.forEach(PiecePool.shared()::release);
            };
            EventLoop l = loop();
            if (writesFromAnyThread) {
                synchronized (writeLock) { // after any write in progress on another thread
                    release.run();
                }
            } else if (l == null || l.inEventLoop()) {
                release.run();
            } else {
                l.execute(release);
            }
        }
        onClose.accept(this);
    }

    // ------------------------------------------------------------------ I/O

    private void ready(SelectionKey k) {
        // Failures end this channel only; never let them reach the loop, which would close the
        // socket behind our back.
        try {
            if (k.isValid() && k.isWritable()) {
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                read();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void read() throws IOException {
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        }
        for (int i = 0; i < MAX_READS_PER_EVENT && !isClosed(); i++) {
            ByteBuffer payload = decoder.payloadTarget(); // the rest of a large body, read in place
            int offered = payload == null ? 0 : Math.min(payload.remaining(), HeapBufferIo.MAX_BYTES_PER_CALL);
            if (payload == null && piecesComing) {
                readBuffer.limit(PIECE_HEAD_READ);
            }
            int n = HeapBufferIo.read(socket, payload != null ? payload : readBuffer);
            if (n < 0) {
                decoder.endOfStream(); // throws when the peer stopped inside a frame
                fail(null);
                return;
            }
            if (n == 0) {
                return;
            }
            if (payload != null) {
                decoder.payloadRead(n, deliverTask);
                if (n < offered) {
                    return; // took everything there was
                }
                continue;
            }
            // A read that left room took everything there was: skip the read that would say so (one
            // syscall per message saved; the selector reports whatever arrives after).
            boolean drained = readBuffer.hasRemaining();
            readBuffer.flip();
            try {
                decoder.decode(readBuffer, deliverTask, deliverResponseTask); // answers read in place
            } finally {
                readBuffer.clear();
            }
            piecesComing = decoder.payloadTarget() != null;
            if (drained) {
                return;
            }
        }
    }

    private void deliver(Message message) {
        deliver(message, null);
    }

    private void deliverResponse(ResponseView response) {
        deliver(null, response);
    }

    /**
     * One of the two to the listener, unless closed. A listener bug must not desynchronise the
     * stream: reported through the loop's error handler, and the next frame goes on.
     */
    private void deliver(Message message, ResponseView response) {
        if (isClosed()) {
            return;
        }
        try {
            if (response != null) {
                listener().onResponse(response);
            } else {
                listener().onMessage(message);
            }
        } catch (RuntimeException e) {
            loop().execute(() -> {
                throw e;
            });
        }
    }

    @Override
    protected void enqueue(ByteBuffer[] frame, long request) {
        synchronized (this) {
            for (ByteBuffer part : frame) {
                outbox.addPlain(part);
            }
        }
        scheduleWrite();
    }

    /**
     * Dispatcher side: the pooled buffer waits in the outbox and goes back to the pool once written in
     * full (a partial write leaves it untouched at the head) or when the channel closes. The worker
     * side, which writes from any thread, copies it (the default).
     */
    @Override
    protected void enqueuePooled(ByteBuffer frame, long request) {
        if (writesFromAnyThread) {
            super.enqueuePooled(frame, request);
            return;
        }
        synchronized (this) {
            outbox.addPooled(frame);
        }
        scheduleWrite();
    }

    /**
     * The piece's part waits in the outbox, by reference, and its array goes back to the
     * {@link PiecePool} once written in full or when the channel closes (worker side: under the write
     * lock, so never while another thread writes it).
     */
    @Override
    protected void enqueuePiece(ByteBuffer[] frame, long request, byte[] piece) {
        synchronized (this) {
            for (ByteBuffer part : frame) {
                outbox.addPart(part, piece);
            }
        }
        scheduleWrite();
    }

    private void scheduleWrite() {
        EventLoop l = loop();
        if (key == null || l == null) {
            return; // not connected or not registered yet: written once it is
        }
        if (l.inEventLoop() && !writesFromAnyThread) {
            // Dispatcher side: one gathering write at the end of this loop turn for all the frames
            // sent meanwhile (a body's pieces, credits), not one system call per frame. The
            // dispatcher's loop never blocks, so nothing waits long.
            if (!flushQueuedSoon) {
                flushQueuedSoon = true;
                l.execute(flushTask);
            }
        } else if (l.inEventLoop() || writesFromAnyThread) {
            flushOrFail();
        } else {
            l.execute(this::flushOrFail);
        }
    }

    private void flushNow() {
        flushQueuedSoon = false;
        flushOrFail();
    }

    private void flushOrFail() {
        try {
            flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /**
     * On the loop (or, worker side, any thread): writes what the socket takes now, and keeps OP_WRITE
     * interest while a backlog remains.
     */
    private void flush() throws IOException {
        if (!writesFromAnyThread) {
            flushQueued();
            return;
        }
        synchronized (writeLock) {
            flushQueued();
        }
    }

    private void flushQueued() throws IOException {
        SelectionKey k = key;
        if (isClosed() || k == null || !k.isValid()) {
            return;
        }
        boolean empty = write();
        if (empty) {
            if ((k.interestOps() & SelectionKey.OP_WRITE) != 0) {
                k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            }
            drained();
        } else {
            markBacklogged();
            k.interestOps(k.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    /** Gathering writes until the queue is empty (true) or the socket is full (false). */
    private boolean write() throws IOException {
        ByteBuffer[] batch = gather;
        while (true) {
            int count;
            synchronized (this) {
                count = outbox.fill(batch);
                if (pool().checked()) {
                    outbox.checkPooled(pool());
                }
            }
            if (count == 0) {
                return true;
            }
            long written;
            boolean partial;
            try {
                written = HeapBufferIo.write(socket, batch, 0, count);
                partial = batch[count - 1].hasRemaining();
            } finally {
                Arrays.fill(batch, 0, count, null); // do not keep large frames alive
            }
            written(written);
            synchronized (this) {
                outbox.removeWritten(pool());
            }
            if (partial) {
                return false; // the socket took less than offered
            }
        }
    }

    private static void closeQuietly(SocketChannel s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "UnixSocketChannel[" + peer + (isClosed() ? ", closed]" : "]");
    }
}
