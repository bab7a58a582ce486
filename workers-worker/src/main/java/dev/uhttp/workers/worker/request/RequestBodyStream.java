package dev.uhttp.workers.worker.request;

import dev.uhttp.workers.ipc.PiecePool;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * A request body that arrives in pieces while its handler runs ({@code Request.bodyStream()}). The
 * worker's loop thread {@link #add adds} pieces as the dispatcher sends them; the handler's thread reads.
 * What was read is handed back as credit ({@code BodyCredit}, per 256 KiB; one of 0 bytes when the first
 * read starts, for a client waiting for {@code 100 Continue}): the dispatcher sends only
 * as much as the handler has consumed plus its window, so a slow handler slows the client's upload
 * instead of filling memory.
 *
 * <p>A client that disconnects, or a body the dispatcher gives up on, makes {@link #read} throw an
 * {@link IOException} at once (also to a reader already waiting): a handler never hangs on a body that
 * will not come.
 */
public final class RequestBodyStream extends InputStream {
    private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
    private final LongConsumer credit;
    private final Runnable progress;
    private byte[] current;
    private int position;
    private boolean ended;
    private String failure;
    private long read;
    /** Whether the handler has started reading (the dispatcher was told: {@code BodyCredit} of 0). */
    private volatile boolean asked;
    /** Bytes consumed and not yet handed back as credit (handed back in batches: fewer messages). */
    private long uncredited;
    /** Credit goes back once this much was consumed (well under the dispatcher's window of 1 MiB). */
    static final long CREDIT_BATCH = 256 * 1024;

    /**
     * @param credit   gets the size of the pieces consumed, and 0 when reading starts (on the reading thread)
     * @param progress called when a piece is consumed (the handler is not stalled)
     */
    public RequestBodyStream(LongConsumer credit, Runnable progress) {
        this.credit = credit;
        this.progress = progress;
    }

    /**
     * Loop thread: the next piece of the body. An array of the {@link PiecePool} goes back to it once
     * read to its end, or dropped (the body failed); the caller must not touch it afterwards.
     */
    public synchronized void add(byte[] piece) {
        if (!ended && failure == null && piece.length > 0) {
            pieces.addLast(piece);
            notifyAll();
        } else {
            PiecePool.shared().release(piece);
        }
    }

    /** Loop thread: the body is complete. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Loop thread: the body will not be completed ({@code why} becomes the readers' IOException). */
    public synchronized void fail(String why) {
        if (!ended && failure == null) {
            failure = why;
            pieces.forEach(PiecePool.shared()::release);
            pieces.clear();
            notifyAll();
        }
    }

    /** Whether the body ended (completely) or failed. */
    public synchronized boolean isFinished() {
        return ended || failure != null;
    }

    /** Bytes read so far. */
    public synchronized long bytesRead() {
        return read;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        askOnFirstRead();
        byte[] piece;
        int n;
        boolean pieceDone;
        long credited = 0;
        synchronized (this) {
            if (!nextPiece()) {
                return -1;
            }
            piece = current;
            n = Math.min(len, piece.length - position);
            System.arraycopy(piece, position, b, off, n);
            position += n;
            read += n;
            pieceDone = position == piece.length;
            if (pieceDone) {
                current = null;
                credited = consumed(piece);
            }
        }
        if (pieceDone) {
            done(credited);
        }
        return n;
    }

    /**
     * Hands each piece's bytes to {@code out} as they are (no copy into a buffer of the caller's): the
     * piece is given back to the pool once {@code out.write} returned, as {@code InputStream.transferTo}
     * reuses its buffer once it returned, so an {@code OutputStream} must not keep the array either.
     */
    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
        java.util.Objects.requireNonNull(out, "out");
        askOnFirstRead();
        long total = 0;
        while (true) {
            byte[] piece;
            int from;
            synchronized (this) {
                if (!nextPiece()) {
                    return total;
                }
                piece = current;
                from = position;
                current = null; // this thread's until written; a failure meanwhile leaves it to the GC
            }
            out.write(piece, from, piece.length - from);
            total += piece.length - from;
            long credited;
            synchronized (this) {
                read += piece.length - from;
                credited = consumed(piece);
            }
            done(credited);
        }
    }

    /** The handler wants the body: a client waiting for 100 Continue is told to send it only now. */
    private void askOnFirstRead() {
        if (!asked && firstRead()) {
            // So one that is refused first (body() over its limit) never sends it.
            credit.accept(0);
        }
    }

    /** Under the lock: {@code piece} was read to its end; the credit to hand back now, or 0. */
    private long consumed(byte[] piece) {
        PiecePool.shared().release(piece); // copied out in full: nothing reads it any more
        uncredited += piece.length;
        if (uncredited < CREDIT_BATCH) {
            return 0;
        }
        long credited = uncredited;
        uncredited = 0;
        return credited;
    }

    /** Outside the lock, after a piece was consumed: its credit (it queues a message for the loop), progress. */
    private void done(long credited) {
        if (credited > 0) {
            credit.accept(credited);
        }
        progress.run();
    }

    @Override
    public synchronized int available() throws IOException {
        if (failure != null) {
            throw new IOException(failure);
        }
        return current == null ? 0 : current.length - position;
    }

    private synchronized boolean firstRead() {
        boolean first = !asked;
        asked = true;
        return first;
    }

    /** Waits for a piece to read from; false at the end of the body. */
    private boolean nextPiece() throws IOException {
        while (true) {
            if (failure != null) {
                throw new IOException(failure);
            }
            if (current != null) {
                return true;
            }
            current = pieces.pollFirst();
            position = 0;
            if (current != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the request body");
            }
        }
    }

    /**
     * Reads the whole body into one array: for {@code body()}/{@code json()} on a streamed body.
     *
     * @throws BodyTooLargeException past {@code limit} bytes
     */
    public byte[] readAll(long limit) throws IOException {
        return readAll(limit, -1);
    }

    /**
     * {@link #readAll(long)} for a body announced as {@code length} bytes ({@code -1}: unknown): read
     * straight into one array of that size.
     */
    public byte[] readAll(long limit, long length) throws IOException {
        if (length > limit) {
            throw new BodyTooLargeException(limit);
        }
        if (length >= 0) {
            byte[] all = new byte[(int) length];
            int at = 0;
            int n;
            while (at < all.length && (n = read(all, at, all.length - at)) >= 0) {
                at += n;
            }
            if (at < all.length || read() >= 0) {
                throw new IOException("request body of " + length + " bytes announced, a different length received");
            }
            return all;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = read(buf, 0, buf.length)) >= 0) {
            total += n;
            if (total > limit) {
                throw new BodyTooLargeException(limit);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** A streamed body read whole with {@code body()} is larger than the pool lets a handler buffer. */
    public static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long limit) {
            super("request body larger than " + limit + " bytes: read it with bodyStream()");
        }
    }
}
