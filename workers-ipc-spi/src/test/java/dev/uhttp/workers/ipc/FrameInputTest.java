package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * The codec's own MessagePack reader reads what msgpack-core's unpacker reads, and fails where it
 * fails: the same random sequence of reads (mostly the one that fits the next value) over random
 * bytes (valid values in every encoding, then the same bytes corrupted) gives the same results from
 * both; and every message kind decodes from a
 * frame whose values are re-packed in other legal forms (wider integers, wider string and binary
 * headers) to the same message.
 */
class FrameInputTest {
    private static final int OPS = 13;
    /** The read that fits a value type (nil, boolean, integer, float, string, binary, array, map, extension). */
    private static final int[] FOR_TYPE = {8, 7, 4, 6, 9, 10, 1, 2, 11};

    @Test
    void everyReadAgreesWithMsgpackCoreOverRandomBytes() throws IOException {
        Random r = new Random(21);
        long reads = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = randomValues(r);
            if (round % 2 == 1) {
                for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
                    bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
                }
            }
            long seed = r.nextLong();
            String expected = msgpackCore(bytes, new Random(seed));
            assertEquals(expected, ours(bytes, new Random(seed)), () -> "bytes " + java.util.HexFormat.of().formatHex(bytes));
            reads += expected.lines().count();
        }
        assertTrue(reads > 30_000, "reads per round past the first: " + reads);
    }

    @Test
    void everyMessageKindDecodesFromValuesInOtherLegalForms() throws IOException {
        FrameCodec codec = new FrameCodec();
        Random r = new Random(7);
        List<Message> messages = new ArrayList<>(Messages.everyType());
        for (int i = 0; i < 2_000; i++) {
            messages.add(Messages.random(r));
        }
        for (Message m : messages) {
            byte[] frame = Messages.frame(codec, m);
            Value tree;
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame, 4, frame.length - 4)) {
                tree = u.unpackValue();
            }
            FrameOutput wide = new FrameOutput(frame.length * 2);
            repack(wide, tree, r);
            Messages.assertSame(m, codec.decode(wide.array(), 4, wide.size() - 4));
        }
    }

    @Test
    void aValueRunningPastTheBytesGivenThrowsTheOneStacklessTruncated() {
        byte[] cut = {(byte) 0x9c, FrameCodec.T_REQUEST, 0x07, (byte) 0xa3, 'G', 'E'}; // a request's head ending inside "GET"
        FrameInput.Truncated first = assertThrows(FrameInput.Truncated.class, () -> skipAll(cut));
        FrameInput.Truncated again = assertThrows(FrameInput.Truncated.class, () -> skipAll(cut));
        assertSame(first, again, "one shared instance: throwing it allocates nothing");
        assertEquals(0, first.getStackTrace().length, "and walks no stack");
        assertNull(first.getCause());
        assertEquals(FrameCodec.NEED_MORE, MessageReading.bodyPosition(cut, cut.length), "read as: more bytes needed");
        IpcProtocolException e = assertThrows(IpcProtocolException.class,
                () -> MessageReading.decode(cut, 0, cut.length, cut.length, null));
        assertNotEquals(0, e.getStackTrace().length, "a frame really cut short fails with a trace of its own");
        assertNotSame(first, e, "not the shared instance");
    }

    private static void skipAll(byte[] bytes) throws IOException {
        FrameInput in = FrameInput.over(bytes, 0, bytes.length);
        try {
            while (in.hasNext()) {
                in.skipValue();
            }
        } finally {
            in.release();
        }
    }

    @Test
    void shortStringsDecodedBeforeAreReusedOnlyForTheSameBytes() throws IOException {
        Random r = new Random(5);
        String[] words = new String[2_000]; // more than the thread keeps: slots are shared and replaced
        for (int i = 0; i < words.length; i++) {
            words[i] = i % 7 == 0 ? "\u00e9t\u00e9-" + i : Long.toString(r.nextLong(), 36 - i % 20);
        }
        for (int round = 0; round < 3; round++) {
            for (String w : words) {
                byte[] utf8 = w.getBytes(StandardCharsets.UTF_8);
                FrameInput in = FrameInput.over(utf8, 0, utf8.length);
                try {
                    assertEquals(w, in.readUtf8(utf8.length));
                } finally {
                    in.release();
                }
            }
        }
        byte[] twice = "Content-TypeContent-Type".getBytes(StandardCharsets.US_ASCII);
        FrameInput in = FrameInput.over(twice, 0, twice.length);
        assertTrue(in.readUtf8(12) == in.readUtf8(12), "the same bytes again: the same String");
        in.release();
    }

    /** A few values, packed by msgpack-core or (for forms it never writes) byte by byte. */
    private static byte[] randomValues(Random r) throws IOException {
        FrameOutput out = new FrameOutput(64);
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            for (int n = 1 + r.nextInt(6); n > 0; n--) {
                switch (r.nextInt(12)) {
                    case 0 -> p.packLong(r.nextLong() >> r.nextInt(64));
                    case 1 -> p.packBigInteger(java.math.BigInteger.valueOf(r.nextLong()).abs().setBit(63));
                    case 2 -> p.packString(Messages.random(r).getClass().getSimpleName() + "\u00e9\ud83d\ude00");
                    case 3 -> p.packBinaryHeader(r.nextInt(40)).writePayload(new byte[r.nextInt(40)]);
                    case 4 -> p.packArrayHeader(r.nextInt(20));
                    case 5 -> p.packMapHeader(r.nextInt(20));
                    case 6 -> p.packDouble(r.nextDouble()).packFloat(r.nextFloat());
                    case 7 -> p.packBoolean(r.nextBoolean()).packNil();
                    case 8 -> p.packExtensionTypeHeader((byte) 1, r.nextInt(20)).writePayload(new byte[r.nextInt(20)]);
                    case 9 -> p.addPayload(new byte[] {(byte) 0xc1});
                    default -> {
                        p.flush();
                        widened(out, r);
                        p.addPayload(Arrays.copyOfRange(out.array(), 4, out.size()));
                        out.reset();
                    }
                }
            }
            return p.toByteArray();
        }
    }

    /** One value in a form msgpack-core's packer does not choose: a wide integer, str8, bin as text. */
    private static void widened(FrameOutput out, Random r) {
        long v = r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(300) - 150;
        switch (r.nextInt(6)) {
            case 0 -> raw(out, 0xd3, v, 8);
            case 1 -> raw(out, 0xcf, v, 8);
            case 2 -> raw(out, 0xd2, v, 4);
            case 3 -> raw(out, 0xce, v, 4);
            case 4 -> raw(out, 0xdd, r.nextInt(3) == 0 ? v : r.nextInt(5), 4);
            default -> {
                raw(out, r.nextBoolean() ? 0xd9 : 0xc4, 3, 1);
                out.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
            }
        }
    }

    private static void raw(FrameOutput out, int type, long v, int bytes) {
        byte[] b = new byte[1 + bytes];
        b[0] = (byte) type;
        for (int i = 0; i < bytes; i++) {
            b[bytes - i] = (byte) (v >>> (8 * i));
        }
        out.write(b, 0, b.length);
    }

    /** The same reads as {@link #ours}, by msgpack-core; each result or "error", up to the first error. */
    private static String msgpackCore(byte[] bytes, Random ops) throws IOException {
        StringBuilder out = new StringBuilder();
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            while (u.hasNext()) {
                int op = ops.nextInt(OPS + 12);
                out.append(switch (op < OPS ? op : FOR_TYPE[u.getNextFormat().getValueType().ordinal()]) {
                    case 0 -> "type " + u.getNextFormat().getValueType().ordinal();
                    case 1 -> "array " + u.unpackArrayHeader();
                    case 2 -> "map " + u.unpackMapHeader();
                    case 3 -> "int " + u.unpackInt();
                    case 4 -> "long " + u.unpackLong();
                    case 5 -> "big " + u.unpackBigInteger();
                    case 6 -> "double " + u.unpackDouble();
                    case 7 -> "boolean " + u.unpackBoolean();
                    case 8 -> {
                        u.unpackNil();
                        yield "nil";
                    }
                    case 9 -> "string " + u.unpackString();
                    case 10 -> {
                        int n = u.unpackBinaryHeader();
                        if (n > bytes.length) { // readPayload would allocate it before finding the bytes missing
                            throw new org.msgpack.core.MessageInsufficientBufferException();
                        }
                        yield "bin " + Arrays.toString(u.readPayload(n));
                    }
                    case 11 -> {
                        u.skipValue();
                        yield "skipped";
                    }
                    default -> "read " + u.getTotalReadBytes();
                }).append('\n');
            }
        } catch (org.msgpack.core.MessagePackException | IOException e) {
            out.append("error");
        }
        return out.toString();
    }

    private static String ours(byte[] bytes, Random ops) {
        StringBuilder out = new StringBuilder();
        FrameInput u = FrameInput.over(bytes, 0, bytes.length);
        try {
            while (u.hasNext()) {
                int op = ops.nextInt(OPS + 12);
                out.append(switch (op < OPS ? op : FOR_TYPE[u.nextType()]) {
                    case 0 -> "type " + u.nextType();
                    case 1 -> "array " + u.readArrayHeader();
                    case 2 -> "map " + u.readMapHeader();
                    case 3 -> "int " + u.readInt();
                    case 4 -> "long " + u.readLong();
                    case 5 -> "big " + u.readBigInteger();
                    case 6 -> "double " + u.readDouble();
                    case 7 -> "boolean " + u.readBoolean();
                    case 8 -> {
                        u.readNil();
                        yield "nil";
                    }
                    case 9 -> "string " + u.readUtf8(u.readStringHeader());
                    case 10 -> "bin " + Arrays.toString(u.readBytes(u.readBinaryHeader()));
                    case 11 -> {
                        u.skipValue();
                        yield "skipped";
                    }
                    default -> "read " + u.readBytes();
                }).append('\n');
            }
        } catch (IpcProtocolException e) {
            out.append("error");
        } finally {
            u.release();
        }
        return out.toString();
    }

    /** Packs a value tree again, each value in a legal form chosen at random (the smallest or wider). */
    private static void repack(FrameOutput out, Value v, Random r) {
        switch (v.getValueType()) {
            case NIL -> out.packNil();
            case BOOLEAN -> out.packBoolean(v.asBooleanValue().getBoolean());
            case INTEGER -> {
                var i = v.asIntegerValue();
                if (!i.isInLongRange() || r.nextBoolean()) {
                    out.packBigInteger(i.toBigInteger());
                } else { // not uint64, which reads as a Long in a value, as with msgpack-core
                    raw(out, 0xd3, i.toLong(), 8);
                }
            }
            case FLOAT -> out.packDouble(v.asFloatValue().toDouble());
            case STRING, BINARY -> { // the same type (in a value, bin is byte[]): a wider header
                boolean text = v.getValueType() == org.msgpack.value.ValueType.STRING;
                byte[] b = text ? v.asStringValue().asByteArray() : v.asBinaryValue().asByteArray();
                if (r.nextBoolean() || b.length >= 65536) {
                    raw(out, text ? 0xdb : 0xc6, b.length, 4);
                } else if (b.length < 256) {
                    raw(out, text ? 0xd9 : 0xc4, b.length, 1);
                } else {
                    raw(out, text ? 0xda : 0xc5, b.length, 2);
                }
                out.write(b, 0, b.length);
            }
            case ARRAY -> {
                var list = v.asArrayValue().list();
                raw(out, 0xdd, list.size(), 4);
                for (Value item : list) {
                    repack(out, item, r);
                }
            }
            case MAP -> {
                var map = v.asMapValue().map();
                raw(out, 0xdf, map.size(), 4);
                map.forEach((k, item) -> {
                    repack(out, k, r);
                    repack(out, item, r);
                });
            }
            default -> throw new AssertionError(v);
        }
    }
}
