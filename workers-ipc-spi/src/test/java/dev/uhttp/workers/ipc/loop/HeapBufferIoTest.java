package dev.uhttp.workers.ipc.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bounded reads and writes over a real non-blocking pipe. */
class HeapBufferIoTest {

    @Test
    void writesInBoundedCallsUntilTheChannelIsFullAndLosesNothing() throws IOException {
        byte[] head = "head".getBytes();
        byte[] body = new byte[3 * HeapBufferIo.MAX_BYTES_PER_CALL + 17];
        new Random(5).nextBytes(body);
        byte[] tail = new byte[HeapBufferIo.MAX_BYTES_PER_CALL]; // ends exactly on a bound
        new Random(6).nextBytes(tail);
        ByteBuffer[] srcs = {ByteBuffer.allocate(1), ByteBuffer.wrap(head), ByteBuffer.wrap(body), ByteBuffer.wrap(tail)};
        srcs[0].position(1); // an empty buffer first
        int[] limits = {srcs[0].limit(), srcs[1].limit(), srcs[2].limit(), srcs[3].limit()};

        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            sink.configureBlocking(false);
            source.configureBlocking(false);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(100_000);
            long total = head.length + body.length + tail.length;
            long written = 0;
            int fullCount = 0;
            while (written < total) {
                long w = HeapBufferIo.write(sink, srcs, 0, srcs.length);
                written += w;
                for (int i = 0; i < srcs.length; i++) {
                    assertEquals(limits[i], srcs[i].limit(), "limits are restored");
                }
                long left = srcs[1].remaining() + srcs[2].remaining() + srcs[3].remaining();
                assertEquals(total - written, left);
                if (left > 0) {
                    fullCount++; // returned early: only because the pipe was full; drain some of it
                    in.clear();
                    int n = HeapBufferIo.read(source, in);
                    assertTrue(n > 0, "a write that stopped short left the pipe full");
                    received.write(in.array(), 0, n);
                }
            }
            in.clear();
            int n;
            while ((n = source.read(in)) > 0) {
                received.write(in.array(), 0, n);
                in.clear();
            }
            assertTrue(fullCount > 0, "the pipe (64 KiB) filled up along the way");
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(head);
            expected.write(body);
            expected.write(tail);
            assertArrayEquals(expected.toByteArray(), received.toByteArray());
        }
    }

    @Test
    void readsAtMostTheBoundAndRestoresTheLimit() throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            sink.write(ByteBuffer.wrap(new byte[1000]));
            ByteBuffer dst = ByteBuffer.allocate(HeapBufferIo.MAX_BYTES_PER_CALL * 2);
            assertEquals(1000, HeapBufferIo.read(source, dst));
            assertEquals(dst.capacity(), dst.limit());
            assertEquals(1000, dst.position());
        }
    }

    /** A channel that takes at most {@code take} bytes a call and records what each call was offered. */
    private static final class RecordingChannel implements java.nio.channels.GatheringByteChannel,
            java.nio.channels.ReadableByteChannel {
        final java.util.List<Long> offers = new java.util.ArrayList<>();
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        final int take;
        boolean fail;

        RecordingChannel(int take) {
            this.take = take;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long offered = 0;
            for (int i = offset; i < offset + length; i++) {
                offered += srcs[i].remaining();
            }
            offers.add(offered);
            if (fail) {
                throw new IOException("broken");
            }
            long n = 0;
            for (int i = offset; i < offset + length && n < take; i++) {
                while (srcs[i].hasRemaining() && n < take) {
                    taken.write(srcs[i].get());
                    n++;
                }
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            offers.add((long) dst.remaining());
            if (fail) {
                throw new IOException("broken");
            }
            int n = Math.min(dst.remaining(), take);
            dst.position(dst.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aChannelThatTakesEverythingIsOfferedBoundedPiecesInOneCall() throws IOException {
        byte[] a = new byte[100_000];
        byte[] b = new byte[3 * HeapBufferIo.MAX_BYTES_PER_CALL + 5];
        new Random(1).nextBytes(a);
        new Random(2).nextBytes(b);
        ByteBuffer[] srcs = {ByteBuffer.wrap(a), ByteBuffer.wrap(b)};
        RecordingChannel ch = new RecordingChannel(Integer.MAX_VALUE);
        assertEquals(a.length + b.length, HeapBufferIo.write(ch, srcs, 0, 2), "all of it, in one call");
        assertTrue(ch.offers.size() >= 4, "in several system calls: " + ch.offers);
        for (long offer : ch.offers) {
            assertTrue(offer <= HeapBufferIo.MAX_BYTES_PER_CALL, "offer of " + offer);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a);
        expected.write(b);
        assertArrayEquals(expected.toByteArray(), ch.taken.toByteArray());
        assertEquals(a.length, srcs[0].limit());
        assertEquals(b.length, srcs[1].limit());

        RecordingChannel partial = new RecordingChannel(1000);
        ByteBuffer big = ByteBuffer.wrap(new byte[1 << 20]);
        assertEquals(1000, HeapBufferIo.write(partial, new ByteBuffer[] {big}, 0, 1));
        assertEquals(1, partial.offers.size(), "a short write ends the call (the socket is full)");
        assertEquals(1 << 20, big.limit());
    }

    @Test
    void limitsAreRestoredWhenTheChannelFails() {
        RecordingChannel broken = new RecordingChannel(Integer.MAX_VALUE);
        broken.fail = true;
        ByteBuffer big = ByteBuffer.allocate(1 << 20);
        assertThrows(IOException.class, () -> HeapBufferIo.write(broken, new ByteBuffer[] {big}, 0, 1));
        assertEquals(1 << 20, big.limit());
        assertThrows(IOException.class, () -> HeapBufferIo.read(broken, big));
        assertEquals(1 << 20, big.limit());
        assertEquals(HeapBufferIo.MAX_BYTES_PER_CALL, broken.offers.get(1), "the read was bounded");
    }

    @Test
    void readsOfferAtMostTheBound() throws IOException {
        RecordingChannel ch = new RecordingChannel(Integer.MAX_VALUE);
        ByteBuffer dst = ByteBuffer.allocate(HeapBufferIo.MAX_BYTES_PER_CALL * 3);
        assertEquals(HeapBufferIo.MAX_BYTES_PER_CALL, HeapBufferIo.read(ch, dst));
        assertEquals(List.of((long) HeapBufferIo.MAX_BYTES_PER_CALL), ch.offers);
        assertEquals(dst.capacity(), dst.limit());
        ByteBuffer small = ByteBuffer.allocate(10);
        assertEquals(10, HeapBufferIo.read(ch, small));
    }
}
