package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Round trips through the blocking codec and the incremental decoder. */
class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec();

    @Test
    void everyMessageTypeRoundTripsThroughTheBlockingReader() throws IOException {
        List<Message> messages = Messages.everyType();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            codec.write(m, out);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        for (Message m : messages) {
            Messages.assertSame(m, codec.read(in));
        }
        assertNull(codec.read(in), "clean end of stream between frames");
    }

    @Test
    void everyMessageTypeRoundTripsThroughTheIncrementalDecoder() throws IOException {
        for (Message m : Messages.everyType()) {
            List<Message> got = decodeAll(Messages.frame(codec, m));
            assertEquals(1, got.size());
            Messages.assertSame(m, got.get(0));
        }
    }

    @Test
    void sixteenMebibyteBody() throws IOException {
        byte[] body = new byte[16 << 20];
        new Random(16).nextBytes(body);
        Message m = new Message.Response(1, 200, new String[] {"Content-Type", "application/octet-stream"}, body);
        byte[] frame = Messages.frame(codec, m);

        Messages.assertSame(m, codec.read(new ByteArrayInputStream(frame)));

        // Incrementally, in socket-sized pieces, through a direct buffer like a real read would use.
        FrameDecoder decoder = new FrameDecoder(codec);
        List<Message> got = new ArrayList<>();
        ByteBuffer direct = ByteBuffer.allocateDirect(64 * 1024);
        for (int off = 0; off < frame.length; off += direct.capacity()) {
            direct.clear();
            direct.put(frame, off, Math.min(direct.capacity(), frame.length - off)).flip();
            decoder.decode(direct, got::add);
        }
        decoder.endOfStream();
        assertEquals(1, got.size());
        Messages.assertSame(m, got.get(0));
    }

    @Test
    void aLargeBodyIsReadInPlaceIntoTheMessagesOwnArrayAndEndsWithTheFrame() throws IOException {
        byte[] body = new byte[300_000];
        new Random(3).nextBytes(body);
        Message large = new Message.Request(7, "POST", "/echo", "", new String[] {"A", "b"}, body, "h", 1, false);
        Message small = new Message.KeepAlive(8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(large, out);
        codec.write(small, out);
        byte[] stream = out.toByteArray();

        FrameDecoder decoder = new FrameDecoder(codec);
        List<Message> got = new ArrayList<>();
        assertNull(decoder.payloadTarget(), "between frames: nothing to read in place");
        int pos = 0;
        while (decoder.payloadTarget() == null) { // the prefix and the head go through the read buffer
            decoder.decode(ByteBuffer.wrap(stream, pos, 100), got::add);
            pos += 100;
            assertTrue(pos < 5000, "the body's target is known once the head is in");
        }
        ByteBuffer target = null;
        byte[] bodyArray = decoder.payloadTarget().array();
        while ((target = decoder.payloadTarget()) != null) {
            int n = Math.min(target.remaining(), 70_000); // a read takes what the socket has
            target.put(stream, pos, n);
            pos += n;
            decoder.payloadRead(n, got::add);
            if (got.isEmpty()) {
                assertTrue(decoder.inFrame());
            }
        }
        assertEquals(1, got.size(), "the frame completed by reads in place");
        Messages.assertSame(large, got.get(0));
        assertSame(bodyArray, ((Message.Request) got.get(0)).body(), "the body was read in place, not copied out");
        assertEquals(stream.length - Messages.frame(codec, small).length, pos, "the target ended with the frame");
        decoder.decode(ByteBuffer.wrap(stream, pos, stream.length - pos), got::add);
        decoder.endOfStream();
        assertEquals(2, got.size());
        Messages.assertSame(small, got.get(1));

        FrameDecoder smallFrames = new FrameDecoder(codec);
        byte[] frame = Messages.frame(codec, small);
        smallFrames.decode(ByteBuffer.wrap(frame, 0, 5), m -> { });
        assertNull(smallFrames.payloadTarget(), "a small frame goes through the read buffer");
    }

    /** Large frames whose head is longer than the first guess, or that carry no body, or a small body. */
    static List<Message> largeFrames() {
        byte[] body = new byte[200_000];
        new Random(9).nextBytes(body);
        String[] manyHeaders = new String[2 * 1500]; // about 80 KiB: a head over 64 KiB
        for (int i = 0; i < manyHeaders.length; i += 2) {
            manyHeaders[i] = "X-Header-" + i;
            manyHeaders[i + 1] = "value of header " + i + " ".repeat(i % 50);
        }
        return List.of(
                new Message.Request(1, "POST", "/p", "q=1", manyHeaders, body, "host", 80, true),
                new Message.Response(2, 200, manyHeaders, new byte[0]), // a large head, an empty body
                new Message.Response(3, 201, new String[] {"A", "b"}, body),
                new Message.StreamChunk(4, body),
                new Message.Log(30, "big", "x".repeat(100_000)), // large, no body
                new Message.Config(java.util.Map.of("blob", "y".repeat(100_000)))); // large, no body
    }

    @Test
    void largeFramesOfEveryShapeDecodeInPiecesOfAnySize() throws IOException {
        for (Message m : largeFrames()) {
            byte[] frame = Messages.frame(codec, m);
            for (int piece : new int[] {1, 7, 1000, 65_536, frame.length}) {
                List<Message> got = decodeInPieces(frame, piece);
                assertEquals(1, got.size(), m.getClass().getSimpleName() + " in pieces of " + piece);
                Messages.assertSame(m, got.get(0));
            }
        }
    }

    @Test
    void theBlockingReaderNeverReadsPastAFrame() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Message> messages = new ArrayList<>(largeFrames());
        messages.add(1, new Message.KeepAlive(5));
        for (Message m : messages) {
            codec.write(m, out);
        }
        byte[] stream = out.toByteArray();
        // A stream that hands out at most 5 000 bytes a call, like a pipe under load, and counts reads.
        int[] offered = new int[1];
        java.io.InputStream trickle = new ByteArrayInputStream(stream) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                offered[0] = Math.max(offered[0], len);
                return super.read(b, off, Math.min(len, 5000));
            }
        };
        FrameDecoder decoder = new FrameDecoder(codec);
        for (Message m : messages) {
            Messages.assertSame(m, decoder.read(trickle));
        }
        assertNull(decoder.read(trickle), "clean end of stream between frames");
        assertTrue(offered[0] <= 64 * 1024, "reads are bounded: " + offered[0]);

        // Cut inside the first frame's body, then inside the last frame (a Config, no body).
        byte[] insideBody = Arrays.copyOf(stream, 100_000);
        IpcProtocolException e = assertThrows(IpcProtocolException.class,
                () -> new FrameDecoder(codec).read(new ByteArrayInputStream(insideBody)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        FrameDecoder incremental = new FrameDecoder(codec);
        decodeInPieces(incremental, insideBody, 7000);
        e = assertThrows(IpcProtocolException.class, incremental::endOfStream);
        assertTrue(e.getMessage().contains("after 99996 of"), e.getMessage());

        byte[] cut = Arrays.copyOf(stream, stream.length - 10);
        FrameDecoder truncated = new FrameDecoder(codec);
        ByteArrayInputStream in = new ByteArrayInputStream(cut);
        assertThrows(IpcProtocolException.class, () -> {
            while (truncated.read(in) != null) {
                // until the cut frame
            }
        });
    }

    @Test
    void aBodyThatDoesNotEndTheFrameIsRejected() throws IOException {
        byte[] frame = Messages.frame(codec, new Message.Response(3, 200, new String[0], new byte[100_000]));
        // Announce a frame one byte longer, with a stray byte after the body.
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        ByteBuffer.wrap(longer).putInt(frame.length - 4 + 1);
        assertThrows(IpcProtocolException.class, () -> decodeAll(longer));
        assertThrows(IpcProtocolException.class, () -> codec.read(new ByteArrayInputStream(longer)));
        assertThrows(IpcProtocolException.class, () -> decodeInPieces(longer, 1000), "received head, then body");
    }

    @Test
    void hundredsOfRandomMessagesRoundTrip() throws IOException {
        Random r = new Random(20240601);
        List<Message> sent = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 600; i++) {
            Message m = Messages.random(r);
            sent.add(m);
            codec.write(m, out);
        }
        byte[] stream = out.toByteArray();

        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        for (Message m : sent) {
            Messages.assertSame(m, codec.read(in));
        }
        assertNull(codec.read(in));

        // Incrementally, in random-sized pieces that cut frames anywhere.
        FrameDecoder decoder = new FrameDecoder(codec);
        List<Message> got = new ArrayList<>();
        for (int off = 0; off < stream.length; ) {
            int n = Math.min(stream.length - off, 1 + r.nextInt(5000));
            decoder.decode(ByteBuffer.wrap(stream, off, n), got::add);
            off += n;
        }
        decoder.endOfStream();
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) {
            Messages.assertSame(sent.get(i), got.get(i));
        }
    }

    @Test
    void framesSplitAtEveryByteBoundaryDecodeTheSame() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : Messages.everyType()) {
            codec.write(m, out);
        }
        byte[] stream = out.toByteArray();
        for (int cut = 0; cut <= stream.length; cut++) {
            FrameDecoder decoder = new FrameDecoder(codec);
            List<Message> got = new ArrayList<>();
            decoder.decode(ByteBuffer.wrap(stream, 0, cut), got::add);
            decoder.decode(ByteBuffer.wrap(stream, cut, stream.length - cut), got::add);
            decoder.endOfStream();
            assertEquals(Messages.everyType().size(), got.size(), "cut at " + cut);
            for (int i = 0; i < got.size(); i++) {
                Messages.assertSame(Messages.everyType().get(i), got.get(i));
            }
        }
    }

    @Test
    void oneByteAtATime() throws IOException {
        Message m = Messages.everyType().get(0);
        byte[] frame = Messages.frame(codec, m);
        FrameDecoder decoder = new FrameDecoder(codec);
        List<Message> got = new ArrayList<>();
        for (int i = 0; i < frame.length; i++) {
            assertEquals(i > 0, decoder.inFrame());
            decoder.decode(ByteBuffer.wrap(frame, i, 1), got::add);
        }
        assertEquals(false, decoder.inFrame());
        Messages.assertSame(m, got.get(0));
    }

    @Test
    void encodingOverTheLimitIsAProtocolError() {
        FrameCodec small = new FrameCodec(1024);
        Message big = new Message.StreamChunk(1, new byte[2000]);
        assertThrows(IpcProtocolException.class, () -> small.encode(big));
    }

    /** Feeds {@code stream} in pieces, reading large bodies in place as a channel would. */
    private List<Message> decodeInPieces(FrameDecoder decoder, byte[] stream, int piece) throws IpcProtocolException {
        List<Message> got = new ArrayList<>();
        int pos = 0;
        while (pos < stream.length) {
            ByteBuffer target = decoder.payloadTarget();
            int n = Math.min(piece, stream.length - pos);
            if (target != null) {
                n = Math.min(n, target.remaining());
                target.put(stream, pos, n);
                decoder.payloadRead(n, got::add);
            } else {
                decoder.decode(ByteBuffer.wrap(stream, pos, n), got::add);
            }
            pos += n;
        }
        return got;
    }

    private List<Message> decodeInPieces(byte[] stream, int piece) throws IpcProtocolException {
        FrameDecoder decoder = new FrameDecoder(codec);
        List<Message> got = decodeInPieces(decoder, stream, piece);
        decoder.endOfStream();
        return got;
    }

    private List<Message> decodeAll(byte[] stream) throws IpcProtocolException {
        FrameDecoder decoder = new FrameDecoder(codec);
        List<Message> got = new ArrayList<>();
        decoder.decode(ByteBuffer.wrap(stream), got::add);
        decoder.endOfStream();
        return got;
    }
    /**
     * A request packed from its fields ({@code IpcChannel.sendRequest}: no record, the id from a reused
     * builder) is the frame of the record's, byte for byte, and decodes to the same request.
     */
    @Test
    void aRequestPackedFromItsFieldsIsTheRecordsFrame() throws IOException {
        Random random = new Random(21);
        StringBuilder reused = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String[] headers = new String[2 * random.nextInt(6)];
            for (int h = 0; h < headers.length; h++) {
                headers[h] = random.nextInt(8) == 0 ? "v\u00e9\u4e2d" + h : "h" + h + "-" + random.nextInt();
            }
            byte[] body = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(2000)];
            random.nextBytes(body);
            Object context = random.nextBoolean() ? null : java.util.Map.of("user", "u" + i, "n", i);
            reused.setLength(0);
            reused.append(i % 7 == 0 ? "caf\u00e9-" : "0123456789abcdef-").append(Long.toHexString(i * 31L));
            String path = i % 5 == 0 ? "/caf\u00e9/" + i : "/p/" + i;
            Message.Request record = new Message.Request(i, "GET", path, "q=" + i, headers, body, "10.0.0." + i % 250,
                    1000 + i, i % 2 == 0, context, reused.toString());
            FrameOutput fromRecord = codec.packed(record);
            byte[] expected = Arrays.copyOf(fromRecord.array(), fromRecord.size());
            FrameOutput fromFields = codec.packedRequest(i, "GET", path, "q=" + i, headers, body, "10.0.0." + i % 250,
                    1000 + i, i % 2 == 0, context, reused);
            byte[] got = Arrays.copyOf(fromFields.array(), fromFields.size());
            assertArrayEquals(expected, got, "request " + i);
            Message decoded = codec.decode(got, 4, got.length - 4);
            assertEquals(reused.toString(), ((Message.Request) decoded).requestId());
        }
    }

    /** Large bodies are parts of their own (not copied), and the parts are exactly the frame's bytes. */
    @Test
    void encodePartsKeepsLargeBodiesAsTheirOwnPartAndMatchesEncode() throws IOException {
        FrameCodec codec = new FrameCodec();
        Random random = new Random(11);
        byte[] big = new byte[FrameCodec.SEPARATE_BODY_BYTES + 17];
        random.nextBytes(big);
        String[] headers = new String[400];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "h" + i + "-" + "v".repeat(i % 50); // enough to make the packer grow its buffer
        }
        List<Message> messages = List.of(
                new Message.Request(7, "POST", "/up", "a=1", headers, big, "10.0.0.1", 4242, true),
                new Message.Response(8, 201, headers, big),
                new Message.StreamChunk(9, big),
                new Message.Response(10, 200, new String[0], new byte[100]));
        for (Message m : messages) {
            ByteBuffer[] parts = codec.encodeParts(m);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (ByteBuffer part : parts) {
                joined.write(part.array(), part.arrayOffset() + part.position(), part.remaining());
            }
            ByteBuffer whole = codec.encode(m);
            byte[] expected = new byte[whole.remaining()];
            whole.get(expected);
            assertArrayEquals(expected, joined.toByteArray(), m.getClass().getSimpleName());
            boolean large = !(m instanceof Message.Response r) || r.body().length > 100;
            assertEquals(large, Arrays.stream(parts).anyMatch(p -> p.array() == big),
                    "the body is its own part (not a copy) exactly when it is large: " + m.getClass().getSimpleName());
        }
        FrameCodec small = new FrameCodec(FrameCodec.SEPARATE_BODY_BYTES);
        assertThrows(IpcProtocolException.class, () -> small.encodeParts(new Message.StreamChunk(1, big)));
    }
}
