package dev.uhttp.workers.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Fuzzes the RESP decoder with what a server (or something posing as one) might send. Invariants: the
 * only exception is {@link RespException}; the values decoded (then the error, or the bytes left) are
 * the same fed at once and fed in random pieces (split points seeded by the input, so an input replays
 * identically); nothing is buffered past what was fed.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the inputs under
 * {@code src/test/resources/.../RespDecoderFuzzTestInputs/decodeInAnySplit/} (regression mode).
 */
class RespDecoderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decodeInAnySplit(byte[] input) {
        String whole = run(input, new int[] {input.length});
        Random r = new Random(Arrays.hashCode(input));
        int[] sizes = new int[input.length + 1];
        int n = 0;
        for (int left = input.length; left > 0; ) {
            int size = 1 + r.nextInt(Math.min(left, 16));
            sizes[n++] = size;
            left -= size;
        }
        assertEquals(whole, run(input, Arrays.copyOf(sizes, n)), "random pieces");
    }

    private static String run(byte[] input, int[] sizes) {
        RespDecoder d = new RespDecoder(4096, 256, 16);
        StringBuilder out = new StringBuilder();
        int off = 0;
        try {
            for (int size : sizes) {
                d.feed(ByteBuffer.wrap(input, off, size));
                off += size;
                for (Object v = d.next(); v != null; v = d.next()) {
                    out.append(describe(v)).append('\n');
                }
                if (d.buffered() > off) {
                    throw new AssertionError("buffered more than was fed");
                }
            }
            return out.append("left ").append(d.buffered()).toString();
        } catch (RespException e) {
            return out.append("error").toString(); // where it fails may differ; that it fails may not
        }
    }

    private static String describe(Object v) {
        if (v instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        if (v instanceof java.util.List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            list.forEach(x -> sb.append(describe(x)).append(','));
            return sb.append(']').toString();
        }
        if (v instanceof java.util.Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            map.forEach((k, x) -> sb.append(describe(k)).append('=').append(describe(x)).append(','));
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
