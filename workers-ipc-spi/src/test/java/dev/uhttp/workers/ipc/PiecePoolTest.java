package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ownership rules of pooled piece arrays, in check mode. */
class PiecePoolTest {

    private final PiecePool pool = new PiecePool(2, true);

    @Test
    void aReleasedArrayIsReused() {
        byte[] a = pool.acquire();
        assertEquals(PiecePool.PIECE_BYTES, a.length);
        pool.release(a);
        assertSame(a, pool.acquire());
        assertEquals(1, pool.outstanding());
    }

    @Test
    void releasedTwiceFails() {
        byte[] a = pool.acquire();
        pool.release(a);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(a));
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
        assertEquals(0, pool.outstanding());
        assertEquals(1, pool.violations());
    }

    @Test
    void aWriteAfterReleaseIsFoundAtTheNextAcquire() {
        byte[] a = pool.acquire();
        pool.release(a);
        a[100] = 7; // still written through an old reference
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::acquire);
        assertTrue(e.getMessage().contains("written after its release"), e.getMessage());
        assertEquals(1, pool.violations());
    }

    @Test
    void arraysThePoolDidNotMakeAreNotTaken() {
        byte[] own = new byte[PiecePool.PIECE_BYTES]; // a test's piece, or a decoder's before the pool
        pool.release(own);
        pool.release(new byte[10]); // the short last piece of a body
        pool.release(null);
        assertNotSame(own, pool.acquire());
        assertEquals(0, pool.violations());
    }

    @Test
    void anArrayNeverReleasedStaysOutstanding() {
        byte[] a = pool.acquire();
        byte[] b = pool.acquire();
        pool.release(a);
        assertEquals(1, pool.outstanding(), "b was never released");
        pool.release(b);
        assertEquals(0, pool.outstanding());
    }

    @Test
    void pastItsIdleLimitThePoolLetsArraysGo() {
        byte[][] out = {pool.acquire(), pool.acquire(), pool.acquire()};
        for (byte[] a : out) {
            pool.release(a);
        }
        assertEquals(0, pool.outstanding());
        // Two kept (its limit): the next two acquires reuse them, the third is new.
        byte[] x = pool.acquire();
        byte[] y = pool.acquire();
        byte[] z = pool.acquire();
        assertTrue(x == out[0] || x == out[1]);
        assertTrue(y == out[0] || y == out[1]);
        assertNotSame(out[2], z);
    }

    @Test
    void aBodyPieceReceivedAcrossReadsLandsInAPoolArray() throws Exception {
        FrameCodec codec = new FrameCodec();
        byte[] data = new byte[PiecePool.PIECE_BYTES];
        data[0] = 1;
        data[data.length - 1] = 2;
        ByteBuffer frame = codec.encode(new Message.BodyChunk(3, data));
        FrameDecoder decoder = new FrameDecoder(codec);
        List<Message> got = new ArrayList<>();
        long before = PiecePool.shared().outstanding();
        // As a socket delivers a large frame: its head first, then the rest.
        decoder.decode(ByteBuffer.wrap(frame.array(), 0, 100), got::add);
        decoder.decode(ByteBuffer.wrap(frame.array(), 100, frame.remaining() - 100), got::add);
        Message.BodyChunk chunk = (Message.BodyChunk) got.get(0);
        assertArrayEquals(data, chunk.data());
        assertEquals(before + 1, PiecePool.shared().outstanding(), "the piece is the pool's");
        PiecePool.shared().release(chunk.data());
        assertEquals(before, PiecePool.shared().outstanding());
    }

    @Test
    void theSharedPoolIsCheckedUnderTest() {
        assertTrue(PiecePool.shared().checked(), "surefire sets " + FrameBufferPool.CHECK_PROPERTY);
    }
}
