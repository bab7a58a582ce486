package dev.uhttp.workers.ipc.unixsocket;

import dev.uhttp.workers.ipc.FrameBufferPool;
import dev.uhttp.workers.ipc.PiecePool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A {@link UnixSocketChannel}'s encoded frames not yet written, the first possibly in part, and beside
 * each buffer what gives it back once written or dropped: nothing (a plain buffer), the channel's
 * {@link FrameBufferPool} (a pooled frame) or the {@link PiecePool} (a body piece's array). Every
 * method is called holding the channel's monitor (its writes and sends may be on different
 * threads on the worker side).
 */
final class Outbox {

    private static final Integer PLAIN = 0, POOLED = 1, PIECE = 2;

    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
    private final ArrayDeque<Integer> kinds = new ArrayDeque<>();

    void addPlain(ByteBuffer b) {
        buffers.add(b);
        kinds.add(PLAIN);
    }

    /** A buffer of the frame pool: released to it once written in full or dropped. */
    void addPooled(ByteBuffer b) {
        buffers.add(b);
        kinds.add(POOLED);
    }

    /** A part of a piece's frame: when it wraps {@code piece}, the array goes back to the piece pool. */
    void addPart(ByteBuffer part, byte[] piece) {
        buffers.add(part);
        kinds.add(part.hasArray() && part.array() == piece ? PIECE : PLAIN);
    }

    /** Fills {@code batch} from the head, up to its length; how many. */
    int fill(ByteBuffer[] batch) {
        int count = 0;
        for (ByteBuffer b : buffers) {
            batch[count++] = b;
            if (count == batch.length) {
                break;
            }
        }
        return count;
    }

    /** Forgets the buffers written in full from the head, giving back what is pooled. */
    void removeWritten(FrameBufferPool pool) {
        while (!buffers.isEmpty() && !buffers.peekFirst().hasRemaining()) {
            ByteBuffer done = buffers.pollFirst();
            Integer kind = kinds.pollFirst();
            if (kind == POOLED) {
                pool.release(done);
            } else if (kind == PIECE) {
                PiecePool.shared().release(done.array());
            }
        }
    }

    /** Empties this outbox on close: the pooled buffers and piece arrays into the lists, to release. */
    void drop(List<ByteBuffer> pooled, List<byte[]> pieces) {
        while (!buffers.isEmpty()) {
            ByteBuffer b = buffers.pollFirst();
            Integer kind = kinds.pollFirst();
            if (kind == POOLED) {
                pooled.add(b);
            } else if (kind == PIECE) {
                pieces.add(b.array());
            }
        }
    }

    /** Check mode (tests): every pooled buffer about to be written is still owned (not released). */
    void checkPooled(FrameBufferPool pool) {
        var k = kinds.iterator();
        for (ByteBuffer b : buffers) {
            if (k.next() == POOLED) {
                pool.checkOwned(b);
            }
        }
    }
}
