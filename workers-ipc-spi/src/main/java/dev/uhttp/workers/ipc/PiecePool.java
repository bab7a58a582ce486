package dev.uhttp.workers.ipc;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Reused arrays of {@value #PIECE_BYTES} bytes for the pieces of large bodies ({@code BodyChunk},
 * {@code StreamChunk}): a {@link FrameDecoder} receives such a piece straight into one of them, and
 * whoever consumes the piece gives the array back once nothing reads it any more (the dispatcher when
 * the piece was written to its client, a worker when it copied the piece into a collected body or its
 * handler read it). A 1 MiB echo or a long upload then allocates no piece arrays in the steady state;
 * before, each piece was a new array, garbage a moment later, and the pieces in flight were copied by
 * every young collection and promoted into full ones.
 *
 * <p>Ownership: {@link #acquire} hands an array to one owner, which may pass it on (with the piece) and
 * whose last holder {@link #release releases} it at most once, when nothing reads or writes it any
 * more. Not releasing is allowed (the array is left to the GC: a consumer that cannot tell when its
 * piece is dead keeps the old behaviour). In check mode ({@value FrameBufferPool#CHECK_PROPERTY}
 * {@code =true}, which the tests set) the pool enforces this: a second release throws, an array it never
 * made is not taken (a test's own piece); a released array is filled with a poison pattern, so a write into it
 * after release is found at the next acquire; {@link #outstanding} shows arrays not released. Arrays of
 * another length are ignored by {@link #release} (the last, shorter piece of a body is not pooled).
 * Thread-safe (a pipe channel's reader thread decodes; a worker's handler thread reads its body).
 */
public final class PiecePool {
    /** The length of every pooled array: the pieces both sides cut large bodies into. */
    public static final int PIECE_BYTES = 64 * 1024;
    private static final byte POISON = (byte) 0x5A;

    private static final PiecePool SHARED = new PiecePool(128, Boolean.getBoolean(FrameBufferPool.CHECK_PROPERTY));

    private final byte[][] idle;
    private final boolean checked;
    /** Check mode: the arrays handed out and not released yet. */
    private final Map<byte[], Boolean> owned;
    /** Check mode: every array the pool made (a release of one not {@link #owned} is a second release). */
    private final Map<byte[], Boolean> made;
    private int idleCount;
    private long outstanding;
    private long violations;

    /**
     * @param maxIdle arrays kept for reuse at most (8 MiB for 128: more released ones are left to the GC)
     * @param checked whether ownership is checked (tests): slower, allocates
     */
    public PiecePool(int maxIdle, boolean checked) {
        this.idle = new byte[maxIdle][];
        this.checked = checked;
        this.owned = checked ? new IdentityHashMap<>() : null;
        this.made = checked ? new IdentityHashMap<>() : null;
    }

    /** The pool both sides share in one JVM; checked when {@value FrameBufferPool#CHECK_PROPERTY} is {@code true}. */
    public static PiecePool shared() {
        return SHARED;
    }

    /** An array of {@value #PIECE_BYTES} bytes, now owned by the caller (its content is undefined). */
    public synchronized byte[] acquire() {
        byte[] a;
        if (idleCount > 0) {
            a = idle[--idleCount];
            idle[idleCount] = null;
            if (checked && !poisonIntact(a)) {
                violations++;
                throw new IllegalStateException("piece array written after its release");
            }
        } else {
            a = new byte[PIECE_BYTES];
            if (checked) {
                made.put(a, Boolean.TRUE);
            }
        }
        outstanding++;
        if (checked) {
            owned.put(a, Boolean.TRUE);
        }
        return a;
    }

    /**
     * Gives {@code a} back (nothing for an array of another length); the caller must not touch it afterwards.
     *
     * @throws IllegalStateException in check mode, when {@code a} was released already
     */
    public synchronized void release(byte[] a) {
        if (a == null || a.length != PIECE_BYTES || checked && !made.containsKey(a)) {
            return;
        }
        if (checked) {
            if (owned.remove(a) == null) {
                violations++;
                throw new IllegalStateException("piece array released twice");
            }
            Arrays.fill(a, POISON);
        }
        outstanding--;
        if (idleCount < idle.length) {
            idle[idleCount++] = a;
        }
    }

    /** Whether ownership is checked. */
    public boolean checked() {
        return checked;
    }

    /** Arrays acquired and not released (counts only what was given back: a piece left to the GC stays counted). */
    public synchronized long outstanding() {
        return outstanding;
    }

    /** Check mode: ownership errors found so far (each also threw where it happened); tests assert none. */
    public synchronized long violations() {
        return violations;
    }

    private static boolean poisonIntact(byte[] a) {
        for (byte x : a) {
            if (x != POISON) {
                return false;
            }
        }
        return true;
    }
}
