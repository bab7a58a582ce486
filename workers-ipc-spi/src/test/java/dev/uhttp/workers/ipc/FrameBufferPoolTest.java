package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The ownership rules of pooled frame buffers, in check mode. */
class FrameBufferPoolTest {

    private final FrameBufferPool pool = new FrameBufferPool(64, 4, true);

    @Test
    void aReleasedBufferIsReusedEmpty() {
        ByteBuffer a = pool.acquire();
        a.put((byte) 1).put((byte) 2);
        pool.release(a);
        ByteBuffer b = pool.acquire();
        assertSame(a, b);
        assertEquals(0, b.position());
        assertEquals(64, b.remaining());
        assertEquals(1, pool.outstanding());
    }

    @Test
    void releasedTwiceFails() {
        ByteBuffer a = pool.acquire();
        pool.release(a);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(a));
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
        assertEquals(0, pool.outstanding());
        assertEquals(1, pool.violations());
    }

    @Test
    void aBufferNotFromThePoolCannotBeReleased() {
        assertThrows(IllegalStateException.class, () -> pool.release(ByteBuffer.allocate(64)));
    }

    @Test
    void readAfterReleaseFails() {
        ByteBuffer a = pool.acquire();
        pool.checkOwned(a);
        pool.release(a);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.checkOwned(a));
        assertTrue(e.getMessage().contains("after its release"), e.getMessage());
        assertEquals(0, a.remaining(), "a released buffer offers nothing to write");
    }

    @Test
    void writeAfterReleaseIsFoundAtTheNextAcquire() {
        ByteBuffer a = pool.acquire();
        pool.release(a);
        a.array()[10] = 42; // a stale owner writes into it
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::acquire);
        assertTrue(e.getMessage().contains("written after its release"), e.getMessage());
        assertEquals(1, pool.violations());
    }

    @Test
    void aLeakShowsAsOutstanding() {
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        assertNotSame(a, b);
        pool.release(a);
        assertEquals(1, pool.outstanding(), "b was never released");
        pool.release(b);
        assertEquals(0, pool.outstanding());
    }

    @Test
    void releasedBeyondTheIdleLimitAreLeftToTheCollector() {
        ByteBuffer[] held = new ByteBuffer[6];
        for (int i = 0; i < held.length; i++) {
            held[i] = pool.acquire();
        }
        for (ByteBuffer b : held) {
            pool.release(b);
        }
        assertEquals(0, pool.outstanding());
        for (int i = 0; i < held.length; i++) {
            held[i] = pool.acquire(); // 4 reused, 2 new: all valid, none poisoned
            assertEquals(64, held[i].remaining());
        }
        assertEquals(6, pool.outstanding());
    }

    @Test
    void theSharedPoolIsCheckedInTests() {
        assertTrue(FrameBufferPool.shared().checked(), "surefire sets " + FrameBufferPool.CHECK_PROPERTY);
    }
}
