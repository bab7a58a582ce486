package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Every kind of corrupt input must end as a clean {@link IpcProtocolException}: never an
 * OutOfMemoryError, another exception type, or a hang. Checked for the blocking reader, the incremental
 * decoder fed at once, and the incremental decoder fed in two pieces cut at every byte boundary.
 */
class CorruptFrameTest {

    private static final FrameCodec CODEC = new FrameCodec();

    @FunctionalInterface
    interface Payload {
        void pack(MessagePacker p) throws IOException;
    }

    static Stream<Arguments> corruptStreams() throws IOException {
        byte[] valid = Messages.frame(CODEC, new Message.Response(1, 200, new String[] {"a", "b"}, new byte[100]));
        return Stream.of(
                Arguments.of("length prefix over the limit", prefix(CODEC.maxFrameBytes() + 1)),
                Arguments.of("length prefix of 4 GiB - 1 (negative as int)", prefix(-1)),
                Arguments.of("negative length prefix", prefix(Integer.MIN_VALUE)),
                Arguments.of("zero length", prefix(0)),
                Arguments.of("truncated prefix", new byte[] {0, 0}),
                Arguments.of("truncated payload", Arrays.copyOf(valid, valid.length - 10)),
                Arguments.of("payload of never-used bytes", withPrefix(new byte[] {(byte) 0xc1, (byte) 0xc1, (byte) 0xc1})),
                Arguments.of("payload that is not an array", frame(p -> p.packString("hello"))),
                Arguments.of("empty array", frame(p -> p.packArrayHeader(0))),
                Arguments.of("unknown message type", frame(p -> p.packArrayHeader(2).packInt(99).packInt(1))),
                Arguments.of("trailing bytes after a message", frame(p -> p.packArrayHeader(2).packInt(4).packInt(1))),
                Arguments.of("trailing bytes outside the array", frame(p -> p.packArrayHeader(1).packInt(4).packNil())),
                Arguments.of("missing fields", frame(p -> p.packArrayHeader(5).packInt(21).packLong(1))),
                Arguments.of("string where an int belongs", frame(p -> p.packArrayHeader(2).packInt(23).packString("x"))),
                Arguments.of("integer overflow", frame(p -> p.packArrayHeader(3).packInt(20).packLong(1L << 40).packLong(1))),
                Arguments.of("bin header claiming 2 GiB in a small frame", frame(p -> {
                    p.packArrayHeader(5).packInt(21).packLong(1).packInt(200).packArrayHeader(0);
                    p.packBinaryHeader(Integer.MAX_VALUE);
                })),
                Arguments.of("bin32 header claiming 4 GiB - 1", frame(p -> {
                    p.packArrayHeader(3).packInt(27).packLong(1);
                    p.writePayload(new byte[] {(byte) 0xc6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
                })),
                Arguments.of("bin header claiming 32 MiB (under the limit) in a small frame", frame(p -> {
                    p.packArrayHeader(3).packInt(27).packLong(1);
                    p.packBinaryHeader(32 << 20);
                    p.writePayload(new byte[10]);
                })),
                Arguments.of("header array claiming a billion strings", frame(p ->
                        p.packArrayHeader(4).packInt(26).packLong(1).packInt(200).packArrayHeader(1_000_000_000))),
                Arguments.of("heartbeat claiming 2^31-1 request ids", frame(p ->
                        p.packArrayHeader(3).packInt(22).packArrayHeader(Integer.MAX_VALUE))),
                Arguments.of("string header claiming 2 GiB", frame(p -> {
                    p.packArrayHeader(4).packInt(24).packInt(20);
                    p.packRawStringHeader(Integer.MAX_VALUE);
                    p.writePayload(new byte[] {'a', 'b'});
                })),
                Arguments.of("kwargs array claiming gigabytes", frame(p -> {
                    p.packArrayHeader(2).packInt(3);
                    p.packMapHeader(1).packString("k").packArrayHeader(Integer.MAX_VALUE);
                })),
                Arguments.of("kwargs map claiming gigabytes", frame(p -> p.packArrayHeader(2).packInt(3).packMapHeader(Integer.MAX_VALUE))),
                Arguments.of("config that is not a map", frame(p -> p.packArrayHeader(2).packInt(3).packString("x"))),
                Arguments.of("nesting too deep", frame(p -> {
                    p.packArrayHeader(2).packInt(3).packMapHeader(1).packString("k");
                    for (int i = 0; i < 200; i++) {
                        p.packArrayHeader(1);
                    }
                    p.packNil();
                })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptStreams")
    void blockingReaderRejects(String name, byte[] stream) {
        IpcProtocolException e = assertThrows(IpcProtocolException.class,
                () -> CODEC.read(new ByteArrayInputStream(stream)));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptStreams")
    void incrementalDecoderRejects(String name, byte[] stream) {
        FrameDecoder decoder = new FrameDecoder(CODEC);
        List<Message> got = new ArrayList<>();
        assertThrows(IpcProtocolException.class, () -> {
            decoder.decode(ByteBuffer.wrap(stream), got::add);
            decoder.endOfStream();
        });
        assertTrue(got.isEmpty(), "nothing delivered from a corrupt frame");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptStreams")
    void incrementalDecoderRejectsAtEveryCut(String name, byte[] stream) {
        for (int cut = 0; cut <= stream.length; cut++) {
            int at = cut;
            FrameDecoder decoder = new FrameDecoder(CODEC);
            assertThrows(IpcProtocolException.class, () -> {
                decoder.decode(ByteBuffer.wrap(stream, 0, at), m -> { });
                decoder.decode(ByteBuffer.wrap(stream, at, stream.length - at), m -> { });
                decoder.endOfStream();
            }, "cut at " + cut);
        }
    }

    private static byte[] prefix(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    private static byte[] withPrefix(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static byte[] frame(Payload payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MessagePacker p = MessagePack.newDefaultPacker(out)) {
            payload.pack(p);
        }
        return withPrefix(out.toByteArray());
    }
}
