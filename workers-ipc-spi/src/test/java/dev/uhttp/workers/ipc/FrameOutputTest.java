package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The codec's own MessagePack writer writes exactly the bytes msgpack-core's packer writes. */
class FrameOutputTest {

    private static final long[] LONGS = {0, 1, 31, 32, 127, 128, 255, 256, 65535, 65536, (1L << 32) - 1, 1L << 32,
            Long.MAX_VALUE, -1, -31, -32, -33, -127, -128, -129, -32767, -32768, -32769, Integer.MIN_VALUE,
            (long) Integer.MIN_VALUE - 1, Long.MIN_VALUE};
    private static final int[] SIZES = {0, 1, 15, 16, 31, 32, 255, 256, 65535, 65536};

    @Test
    void numbersBooleansNilAndDoubles() throws IOException {
        FrameOutput out = new FrameOutput(16);
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            for (long v : LONGS) {
                out.packLong(v);
                p.packLong(v);
                if (v == (int) v) {
                    out.packInt((int) v);
                    p.packInt((int) v);
                }
            }
            out.packBoolean(true).packBoolean(false).packNil().packDouble(1.5).packDouble(-0.0);
            p.packBoolean(true).packBoolean(false).packNil().packDouble(1.5).packDouble(-0.0);
            for (BigInteger b : new BigInteger[] {BigInteger.ONE, BigInteger.ONE.shiftLeft(63),
                    BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.valueOf(-5)}) {
                out.packBigInteger(b);
                p.packBigInteger(b);
            }
            assertSameBytes(p, out);
        }
    }

    @Test
    void headersOfEverySize() throws IOException {
        FrameOutput out = new FrameOutput(16);
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            for (int n : SIZES) {
                out.packArrayHeader(n).packMapHeader(n).packBinaryHeader(n);
                p.packArrayHeader(n).packMapHeader(n).packBinaryHeader(n);
            }
            assertSameBytes(p, out);
        }
    }

    @Test
    void stringsAsciiAndNot() throws IOException {
        FrameOutput out = new FrameOutput(16);
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            for (int n : SIZES) {
                char[] ascii = new char[n];
                Arrays.fill(ascii, 'x');
                String s = new String(ascii);
                out.packString(s).packString("é" + s).packString(s + "\u20ac").packString("\ud83d\ude00" + s);
                p.packString(s).packString("é" + s).packString(s + "\u20ac").packString("\ud83d\ude00" + s);
            }
            out.packString("lone \ud800 surrogate");
            p.packString("lone \ud800 surrogate");
            assertSameBytes(p, out);
        }
    }

    private static void assertSameBytes(MessageBufferPacker p, FrameOutput out) throws IOException {
        p.flush();
        assertArrayEquals(p.toByteArray(), Arrays.copyOfRange(out.array(), 4, out.size()));
    }
}
