package dev.uhttp.workers.ipc;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Reused buffers for small outgoing frames, so that sending a frame allocates nothing in the steady
 * state. For providers ({@link AbstractIpcChannel#enqueuePooled}), not for applications.
 *
 * <p>Ownership: {@link #acquire} hands a buffer to one owner, which {@link #release releases} it
 * exactly once, when nothing reads or writes it any more (a channel: when the frame is written in
 * full, or dropped because the channel closed). In check mode ({@value #CHECK_PROPERTY}{@code =true},
 * which the tests set) the pool enforces this: a second release, or a release of a buffer it did not
 * hand out, throws; a released buffer is filled with a poison pattern and emptied, so a write into it
 * after release is found at the next acquire, and {@link #checkOwned} finds a read after release;
 * {@link #outstanding} shows buffers never released. Thread-safe.
 */
public final class FrameBufferPool {

    /** System property that turns the shared pool's checks on: {@code true} or {@code false} (default). */
    public static final String CHECK_PROPERTY = "uhttp.workers.ipc.checkBuffers";
    /** Capacity of each buffer: frames up to this size (length prefix included) are pooled. */
    public static final int BUFFER_BYTES = 4096;
    private static final byte POISON = (byte) 0xA5;

    private static final FrameBufferPool SHARED = new FrameBufferPool(BUFFER_BYTES, 256,
            Boolean.getBoolean(CHECK_PROPERTY));

    private final int bufferBytes;
    private final ByteBuffer[] idle;
    private final boolean checked;
    /** Check mode: the buffers handed out and not released yet. */
    private final Map<ByteBuffer, Boolean> owned;
    private int idleCount;
    private long outstanding;
    private long violations;

    /**
     * @param bufferBytes capacity of each buffer
     * @param maxIdle     buffers kept for reuse at most (more released ones are left to the GC)
     * @param checked     whether ownership is checked (tests): slower, allocates
     */
    public FrameBufferPool(int bufferBytes, int maxIdle, boolean checked) {
        this.bufferBytes = bufferBytes;
        this.idle = new ByteBuffer[maxIdle];
        this.checked = checked;
        this.owned = checked ? new IdentityHashMap<>() : null;
    }

    /** The pool the IPC providers share; checked when {@value #CHECK_PROPERTY} is {@code true} at startup. */
    public static FrameBufferPool shared() {
        return SHARED;
    }

    /** The size of each pooled buffer. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** Whether ownership is checked. */
    public boolean checked() {
        return checked;
    }

    /** An empty heap buffer of {@link #bufferBytes} capacity (position 0, limit = capacity), now owned by the caller. */
    public synchronized ByteBuffer acquire() {
        ByteBuffer b;
        if (idleCount > 0) {
            b = idle[--idleCount];
            idle[idleCount] = null;
            if (checked && !poisonIntact(b)) {
                violations++;
                throw new IllegalStateException("frame buffer written after its release");
            }
            b.clear();
        } else {
            b = ByteBuffer.allocate(bufferBytes);
        }
        outstanding++;
        if (checked) {
            owned.put(b, Boolean.TRUE);
        }
        return b;
    }

    /**
     * Gives {@code b} back; the caller must not touch it afterwards.
     *
     * @throws IllegalStateException in check mode, when {@code b} was released already or not acquired here
     */
    public synchronized void release(ByteBuffer b) {
        if (checked) {
            if (owned.remove(b) == null) {
                violations++;
                throw new IllegalStateException("frame buffer released twice, or not from this pool");
            }
            Arrays.fill(b.array(), POISON);
            b.limit(0); // a read after release sees nothing to write
        }
        outstanding--;
        if (idleCount < idle.length) {
            idle[idleCount++] = b;
        }
    }

    /**
     * In check mode, throws when {@code b} is not currently handed out (a use after release); else nothing.
     *
     * @throws IllegalStateException for a buffer used after its release
     */
    public void checkOwned(ByteBuffer b) {
        if (!checked) {
            return;
        }
        synchronized (this) {
            if (!owned.containsKey(b)) {
                violations++;
                throw new IllegalStateException("frame buffer used after its release");
            }
        }
    }

    /** Buffers acquired and not released yet (a leak when it stays above 0 once all channels are idle). */
    public synchronized long outstanding() {
        return outstanding;
    }

    /**
     * Check mode: ownership errors found so far (each also threw where it happened, which may be a
     * loop or writer thread that only logs it); tests assert none.
     */
    public synchronized long violations() {
        return violations;
    }

    private static boolean poisonIntact(ByteBuffer b) {
        for (byte x : b.array()) {
            if (x != POISON) {
                return false;
            }
        }
        return true;
    }
}
