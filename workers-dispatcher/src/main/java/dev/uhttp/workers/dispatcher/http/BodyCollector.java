package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.PiecePool;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a streamed request body into pieces of at most {@value #PIECE_BYTES} bytes as it is received,
 * and hands each to a {@link BodySink}. A full piece is handed over as it is (its array, no copy) and a
 * fresh one started; at the end of a read that left a piece partly filled, the filled part is copied
 * out ({@link #flushPartial}) and the array kept for the next bytes. So a streamed body holds one piece
 * buffer on its connection, never an array of the body's size.
 *
 * <p>Full-size pieces are {@link PiecePool} arrays: handed over with the piece, and given back by whoever
 * is done with it last (the IPC channel once it wrote the piece, the body queue when it drops it); the
 * one being filled goes back when the body ends or the connection closes ({@link #release}).
 */
final class BodyCollector {
    /** Largest piece: small enough for G1 to allocate it as a regular object, large enough for few messages. */
    static final int PIECE_BYTES = PiecePool.PIECE_BYTES;

    private final BodySink sink;
    private byte[] piece;
    private int fill;

    BodyCollector(BodySink sink) {
        this.sink = sink;
    }

    /** The free part of the current piece, at most {@code left} bytes, to read the socket into. */
    ByteBuffer target(long left) {
        if (piece == null) {
            piece = left >= PIECE_BYTES ? PiecePool.shared().acquire() : new byte[(int) Math.max(1, left)];
        }
        return ByteBuffer.wrap(piece, fill, (int) Math.min(piece.length - fill, left));
    }

    /** {@code n} bytes were read into {@link #target}. */
    void advance(int n) {
        fill += n;
        if (fill == piece.length) {
            handOverFull();
        }
    }

    /** Copies {@code n} bytes of {@code a} from {@code off} into pieces. */
    void write(byte[] a, int off, int n) {
        while (n > 0) {
            if (piece == null) {
                piece = PiecePool.shared().acquire();
            }
            int k = Math.min(n, piece.length - fill);
            System.arraycopy(a, off, piece, fill, k);
            fill += k;
            off += k;
            n -= k;
            if (fill == piece.length) {
                handOverFull();
            }
        }
    }

    private void handOverFull() {
        byte[] full = piece;
        piece = null;
        fill = 0;
        sink.piece(full);
    }

    /** Hands over what the current piece holds (a copy; the array is kept for what comes next). */
    void flushPartial() {
        if (fill > 0) {
            byte[] part = Arrays.copyOf(piece, fill);
            fill = 0;
            sink.piece(part);
        }
    }

    /** The body is complete: the last piece goes, then the end. */
    void finish() {
        flushPartial();
        release();
        sink.complete();
    }

    /** Gives the piece being filled back (the body ended, or its connection closed); what it held is dropped. */
    void release() {
        PiecePool.shared().release(piece); // nothing for a short last piece of its own
        piece = null;
        fill = 0;
    }

    /** Bytes of piece buffer held (for the dispatcher's buffered byte count). */
    int capacity() {
        return piece == null ? 0 : piece.length;
    }
}
