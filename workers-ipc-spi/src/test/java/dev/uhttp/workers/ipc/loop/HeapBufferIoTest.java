package dev.uhttp.workers.ipc.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
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
}
