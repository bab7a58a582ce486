package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A worker's answer read in place ({@link FrameDecoder#decode(ByteBuffer, java.util.function.Consumer,
 * java.util.function.Consumer)}): the same answer as the decoded message, through one reused view that
 * is unusable after its call, its header array reused only while the next answer has as many fields.
 */
class ResponseViewTest {
    private static final FrameCodec CODEC = new FrameCodec(256 * 1024);

    @Test
    void everyAnswerReadInPlaceEqualsTheDecodedMessage() throws Exception {
        Random r = new Random(21);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Message m = r.nextInt(3) == 0 ? Messages.random(r)
                    : new Message.Response(r.nextLong(), r.nextInt(600), headers(r), bytes(r));
            sent.add(m);
            stream.write(Messages.frame(CODEC, m));
        }
        FrameDecoder d = new FrameDecoder(CODEC);
        List<Message> got = new ArrayList<>();
        int[] inPlace = {0};
        ByteBuffer all = ByteBuffer.wrap(stream.toByteArray());
        d.decode(all, got::add, v -> {
            inPlace[0]++;
            got.add(v.toMessage());
        });
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) {
            Messages.assertSame(sent.get(i), got.get(i));
        }
        assertEquals(sent.stream().filter(m -> m instanceof Message.Response).count(), inPlace[0],
                "every whole Response read in place");
    }

    @Test
    void theViewIsTheReceiveBuffersAndUnusableAfterItsCall() throws Exception {
        byte[] frame = Messages.frame(CODEC, new Message.Response(7, 200,
                new String[] {"Content-Type", "application/json"}, "{\"a\":1}".getBytes()));
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        ResponseView[] kept = new ResponseView[1];
        new FrameDecoder(CODEC).decode(buffer, m -> { throw new AssertionError("decoded: " + m); }, v -> {
            kept[0] = v;
            assertEquals(7, v.id());
            assertEquals(200, v.status());
            assertArrayEquals(new String[] {"Content-Type", "application/json"}, v.headers());
            assertSame(frame, v.bodyArray(), "the body is read in place, not copied");
            assertEquals("{\"a\":1}", new String(v.bodyArray(), v.bodyOffset(), v.bodyLength()));
        });
        ResponseView v = kept[0];
        assertThrows(IllegalStateException.class, v::id);
        assertThrows(IllegalStateException.class, v::status);
        assertThrows(IllegalStateException.class, v::headers);
        assertThrows(IllegalStateException.class, v::bodyArray);
        assertThrows(IllegalStateException.class, v::bodyOffset);
        assertThrows(IllegalStateException.class, v::bodyLength);
        assertThrows(IllegalStateException.class, v::toMessage);
    }

    @Test
    void aCopiedMessageOutlivesTheViewAndTheNextAnswers() throws Exception {
        FrameDecoder d = new FrameDecoder(CODEC);
        List<Message.Response> copies = new ArrayList<>();
        List<String[]> arrays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String[] h = i == 2 ? new String[] {"X", "" + i, "Y", "y"} : new String[] {"X", "" + i};
            byte[] buf = Messages.frame(CODEC, new Message.Response(i, 200 + i, h, ("body" + i).getBytes()));
            d.decode(ByteBuffer.wrap(buf), m -> { throw new AssertionError(); }, v -> {
                arrays.add(v.headers());
                copies.add(v.toMessage());
            });
            Arrays.fill(buf, (byte) 0); // the receive buffer is reused for the next read
        }
        for (int i = 0; i < 4; i++) {
            Message.Response c = copies.get(i);
            assertEquals(i, c.id());
            assertEquals(200 + i, c.status());
            assertEquals("" + i, c.headers()[1]);
            assertEquals("body" + i, new String(c.body()));
        }
        assertSame(arrays.get(0), arrays.get(1), "as many fields: the array is reused");
        assertNotSame(arrays.get(1), arrays.get(2), "more fields: another array");
        assertNotSame(arrays.get(2), arrays.get(3));
    }

    @Test
    void anAnswerSplitAcrossReadsOrMalformedIsNotReadInPlace() throws Exception {
        byte[] frame = Messages.frame(CODEC, new Message.Response(3, 204, new String[0], new byte[0]));
        FrameDecoder d = new FrameDecoder(CODEC);
        List<Message> messages = new ArrayList<>();
        d.decode(ByteBuffer.wrap(frame, 0, 5), messages::add, v -> { throw new AssertionError("in place"); });
        d.decode(ByteBuffer.wrap(frame, 5, frame.length - 5), messages::add, v -> { throw new AssertionError("in place"); });
        assertEquals(1, messages.size());
        assertTrue(messages.get(0) instanceof Message.Response);

        byte[] trailing = Arrays.copyOf(frame, frame.length + 1); // one byte more than the message
        ByteBuffer.wrap(trailing).putInt(0, frame.length - 4 + 1);
        boolean[] viewed = {false};
        IpcProtocolException e = assertThrows(IpcProtocolException.class,
                () -> new FrameDecoder(CODEC).decode(ByteBuffer.wrap(trailing), m -> { }, v -> viewed[0] = true));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        assertFalse(viewed[0]);
    }

    private static String[] headers(Random r) {
        String[] h = new String[2 * r.nextInt(4)];
        for (int i = 0; i < h.length; i++) {
            h[i] = "h" + r.nextInt(5);
        }
        return h;
    }

    private static byte[] bytes(Random r) {
        byte[] b = new byte[r.nextInt(10) == 0 ? r.nextInt(70_000) : r.nextInt(64)];
        r.nextBytes(b);
        return b;
    }
}
