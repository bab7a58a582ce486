package dev.uhttp.workers.worker.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.PiecePool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestBodyStream#transferTo} hands the pool's piece arrays to the output stream itself: each
 * goes back to the {@link PiecePool} once, after its write returned (the pool runs in check mode under
 * surefire: a second release throws, and a released array is poisoned, so a piece given back before it
 * was written shows up as wrong bytes); a write that throws or a body that fails meanwhile gives back
 * nothing twice.
 */
class RequestBodyStreamTransferTest {
    private final PiecePool pool = PiecePool.shared();
    private final List<Long> credits = new ArrayList<>();
    private final RequestBodyStream body = new RequestBodyStream(credits::add, () -> {
    });

    /** A pool piece filled with random bytes, which are also appended to {@code expected}. */
    private byte[] piece(Random random, ByteArrayOutputStream expected) {
        byte[] p = pool.acquire();
        random.nextBytes(p);
        expected.write(p, 0, p.length);
        return p;
    }

    @Test
    void everyPieceGoesOutWholeAndBackOnceAfterItsWrite() throws IOException {
        assertTrue(pool.checked(), "surefire runs the pool in check mode");
        long outstanding = pool.outstanding();
        long violations = pool.violations();
        Random random = new Random(21);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<byte[]> added = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            added.add(piece(random, expected));
            body.add(added.get(i));
        }
        byte[] last = {1, 2, 3}; // a short last piece of its own, not the pool's
        expected.write(last, 0, last.length);
        body.add(last);
        body.end();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<byte[]> written = new ArrayList<>();
        long n = body.transferTo(new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("pieces are written whole");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written.add(b);
                got.write(b, off, len); // poisoned bytes here if the piece had gone back before
            }
        });
        assertEquals(expected.size(), n);
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
        assertEquals(added.size() + 1, written.size());
        for (int i = 0; i < added.size(); i++) {
            assertSame(added.get(i), written.get(i), "the piece itself, not a copy");
        }
        assertEquals(outstanding, pool.outstanding(), "every pool piece given back");
        assertEquals(violations, pool.violations());
        assertEquals(-1, body.read());
        assertEquals(expected.size(), body.bytesRead());
        assertEquals(0L, credits.get(0), "the first read tells the dispatcher the body is wanted");
        assertEquals(added.size() / 4 * 4L * PiecePool.PIECE_BYTES,
                credits.stream().mapToLong(Long::longValue).sum(), "credit per 256 KiB consumed");
    }

    @Test
    void aPiecePartlyReadGoesOnFromWhereTheReadStopped() throws IOException {
        Random random = new Random(7);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        body.add(piece(random, expected));
        body.add(piece(random, expected));
        body.end();
        byte[] start = new byte[1000];
        assertEquals(1000, body.read(start));
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        assertEquals(2L * PiecePool.PIECE_BYTES - 1000, body.transferTo(rest));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.write(start, 0, start.length);
        got.write(rest.toByteArray(), 0, rest.size());
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
    }

    @Test
    void aWriteThatThrowsOrABodyFailingMidTransferGivesNothingBackTwice() {
        long violations = pool.violations();
        long outstanding = pool.outstanding();
        Random random = new Random(3);
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            body.add(piece(random, ignored));
        }
        // The client leaves while the first piece is being written: the queued ones go back at once;
        // the one being written stays the writer's (left to the GC), and the next read fails.
        IOException e = assertThrows(IOException.class, () -> body.transferTo(new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                body.fail("client disconnected before the request body was complete");
                throw new IOException("the handler's output failed");
            }
        }));
        assertEquals("the handler's output failed", e.getMessage());
        assertThrows(IOException.class, () -> body.transferTo(OutputStream.nullOutputStream()));
        assertEquals(outstanding + 1, pool.outstanding(), "the two queued pieces back, the written one not");
        assertEquals(violations, pool.violations());
    }
}
