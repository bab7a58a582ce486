package dev.uhttp.workers.dispatcher.http;

import java.nio.charset.StandardCharsets;

/**
 * {@code Transfer-Encoding: chunked} on the way out (RFC 9112 section 7.1): a chunk is its size line,
 * its data (by reference, never copied) and a CRLF; the last chunk has size zero and no trailers.
 */
final class ChunkEncoder {
    static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ChunkEncoder() {
    }

    /** The size line of a chunk of {@code length} bytes: lowercase hex, no leading zeros, CRLF. */
    static byte[] sizeLine(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("a data chunk is not empty: " + length);
        }
        int digits = (32 - Integer.numberOfLeadingZeros(length) + 3) / 4;
        byte[] line = new byte[digits + 2];
        for (int i = digits - 1, v = length; i >= 0; i--, v >>>= 4) {
            line[i] = HEX[v & 0xf];
        }
        line[digits] = '\r';
        line[digits + 1] = '\n';
        return line;
    }

    /** Queues one chunk of {@code data} (non-empty) as three parts: size line, data, CRLF. */
    static void encode(byte[] data, boolean pooled, OutboundQueue out) {
        out.add(OutboundPart.Bytes.of(sizeLine(data.length)));
        out.add(pooled ? OutboundPart.Bytes.piece(data) : OutboundPart.Bytes.of(data));
        out.add(OutboundPart.Bytes.of(CRLF));
    }

    /** Queues the last chunk. */
    static void finish(OutboundQueue out) {
        out.add(OutboundPart.Bytes.of(LAST_CHUNK));
    }
}
