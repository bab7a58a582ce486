package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Fuzzes {@link FrameDecoder} with raw stream bytes: the incremental decoder fed at once, fed in
 * random pieces (split points from a generator seeded by the input, so an input replays identically)
 * with large bodies read straight into {@link FrameDecoder#payloadTarget()}, and the blocking
 * {@link FrameDecoder#read(InputStream)} over a stream that returns short reads; the first two also with
 * whole answers read in place ({@link ResponseView}). Invariants: the only
 * exception is {@link IpcProtocolException}; all three see the same messages (compared re-encoded)
 * and agree on whether the stream was bad.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the inputs under
 * {@code src/test/resources/dev/uhttp/workers/ipc/FrameDecoderFuzzTestInputs/decodeAnyWay/}.
 */
class FrameDecoderFuzzTest {
    private static final FrameCodec CODEC = new FrameCodec(256 * 1024);

    @FuzzTest(maxDuration = "5m")
    void decodeAnyWay(byte[] input) throws IOException {
        String atOnce = incremental(input, new int[] {input.length}, false);
        Random r = new Random(Arrays.hashCode(input));
        int[] splits = splits(input.length, r);
        assertEquals(atOnce, incremental(input, splits, false), "random pieces");
        assertEquals(atOnce, incremental(input, new int[] {input.length}, true), "answers read in place");
        assertEquals(atOnce, incremental(input, splits, true), "random pieces, answers read in place");
        assertEquals(atOnce, blocking(input, r), "blocking read");
    }

    private static int[] splits(int length, Random r) {
        int[] sizes = new int[length + 1];
        int n = 0;
        for (int left = length; left > 0; ) {
            int size = 1 + r.nextInt(Math.min(left, 1 + r.nextInt(4096)));
            sizes[n++] = size;
            left -= size;
        }
        return Arrays.copyOf(sizes, n);
    }

    /** {@code views}: whole {@code Response} frames are read in place ({@link ResponseView}), copied out to compare. */
    private static String incremental(byte[] input, int[] sizes, boolean views) throws IOException {
        FrameDecoder d = new FrameDecoder(CODEC);
        StringBuilder out = new StringBuilder();
        int off = 0;
        try {
            for (int size : sizes) {
                ByteBuffer piece = ByteBuffer.wrap(input, off, size).slice();
                off += size;
                while (piece.hasRemaining()) {
                    ByteBuffer target = d.payloadTarget();
                    if (target != null) {
                        int n = Math.min(target.remaining(), piece.remaining());
                        piece.get(target.array(), target.arrayOffset() + target.position(), n);
                        d.payloadRead(n, m -> describe(m, out));
                    } else {
                        d.decode(piece, m -> describe(m, out), views ? v -> describe(v.toMessage(), out) : null);
                    }
                }
            }
            d.endOfStream();
            out.append("end");
        } catch (IpcProtocolException e) {
            out.append("bad stream");
        }
        return out.toString();
    }

    private static String blocking(byte[] input, Random r) throws IOException {
        FrameDecoder d = new FrameDecoder(CODEC);
        StringBuilder out = new StringBuilder();
        InputStream in = new ByteArrayInputStream(input) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, len == 0 ? 0 : 1 + r.nextInt(len)); // short reads
            }
        };
        try {
            Message m;
            while ((m = d.read(in)) != null) {
                describe(m, out);
            }
            out.append("end");
        } catch (IpcProtocolException e) {
            out.append("bad stream");
        }
        return out.toString();
    }

    private static void describe(Message m, StringBuilder out) {
        try {
            ByteBuffer b = CODEC.encode(m);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.append(m.getClass().getSimpleName()).append(' ').append(HexFormat.of().formatHex(bytes)).append('\n');
        } catch (IpcProtocolException e) {
            throw new AssertionError("a decoded message does not encode: " + m, e);
        }
    }
}
