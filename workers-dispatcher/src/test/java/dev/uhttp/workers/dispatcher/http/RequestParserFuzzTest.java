package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Fuzzes the request parser and the chunked decoder with whole pipelines of requests. The input is the
 * raw bytes a client sends; split points come from a generator seeded by the input, so an input
 * replays identically. Invariants: the only exception is {@link HttpError}; the result (every
 * request head and body, then the error or the partial state) is the same fed at once, fed in random
 * pieces, fed byte by byte, and with bodies of announced length read straight into
 * {@link RequestParser#bodyTarget()} as the connection does; body buffers stay within the limit.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the inputs under
 * {@code src/test/resources/.../RequestParserFuzzTestInputs/parseInAnySplit/} (regression mode).
 */
class RequestParserFuzzTest {
    private static final int MAX_BODY = 64 * 1024;
    private static final HttpLimits CONFIG = HttpLimits.builder()
            .maxRequestLine(1024).maxHeaderBytes(2048).maxHeaders(20).maxContentLength(MAX_BODY).build();

    @FuzzTest(maxDuration = "5m")
    void parseInAnySplit(byte[] input) {
        String whole = run(input, new int[] {input.length}, false);
        Random r = new Random(Arrays.hashCode(input));
        assertEquals(whole, run(input, randomSplits(input.length, r), false), "random pieces");
        assertEquals(whole, run(input, randomSplits(input.length, r), true), "random pieces, body target");
        if (input.length <= 4096) {
            int[] ones = new int[input.length];
            Arrays.fill(ones, 1);
            assertEquals(whole, run(input, ones, true), "byte by byte");
        }
    }

    private static int[] randomSplits(int length, Random r) {
        int[] sizes = new int[length + 1];
        int n = 0;
        for (int left = length; left > 0; ) {
            int size = 1 + r.nextInt(Math.min(left, 64));
            sizes[n++] = size;
            left -= size;
        }
        return Arrays.copyOf(sizes, n);
    }

    /** Feeds {@code input} in pieces of {@code sizes}; returns a description of every result. */
    private static String run(byte[] input, int[] sizes, boolean bodyTarget) {
        RequestParser p = new RequestParser(CONFIG);
        StringBuilder out = new StringBuilder();
        int off = 0;
        try {
            for (int size : sizes) {
                ByteBuffer piece = ByteBuffer.wrap(input, off, size).slice();
                off += size;
                while (piece.hasRemaining()) {
                    ByteBuffer target = bodyTarget ? p.bodyTarget() : null;
                    RequestParser.Event ev;
                    if (target != null) {
                        int n = Math.min(target.remaining(), piece.remaining());
                        target.put(piece.array(), piece.arrayOffset() + piece.position(), n);
                        piece.position(piece.position() + n);
                        ev = p.bodyRead(n);
                    } else {
                        ev = p.parse(piece);
                    }
                    assertTrue(p.bodyCapacity() <= MAX_BODY, "body buffer over the limit");
                    if (ev == RequestParser.COMPLETE) {
                        describe(p.head(), p.takeBody(), out);
                        p.reset();
                    }
                }
            }
            out.append(p.inProgress() ? "partial" : "idle");
        } catch (HttpError e) {
            assertTrue(e.status >= 400 && e.status < 600, "status " + e.status);
            out.append("error ").append(e.status).append(' ').append(e.getMessage());
        }
        return out.toString();
    }

    private static void describe(RequestHead h, byte[] body, StringBuilder out) {
        assertTrue(h.path().startsWith("/") || h.path().equals("*"), h.path());
        assertTrue(h.target().indexOf('#') < 0, "fragment reached the target");
        assertTrue(body.length <= MAX_BODY);
        out.append(h.method()).append(' ').append(h.target()).append(' ').append(h.path()).append(" ? ")
                .append(h.query()).append(' ').append(h.http11()).append(' ').append(Arrays.toString(h.headers()))
                .append(' ').append(h.keepAlive()).append(' ').append(h.expectContinue()).append(' ')
                .append(h.framing()).append(' ').append(h.contentLength()).append(" body ")
                .append(Arrays.hashCode(body)).append('/').append(body.length).append('\n');
    }
}
