package dev.uhttp.workers.dispatcher.http;

import java.util.Arrays;

/**
 * A whole answer's bytes ({@link HttpExchange#respond}): its head, and its body after it in the
 * connection's reused buffer when both fit, else in arrays of their own; apart from
 * {@link Http1Exchange} because it is encoding, not exchange state (as {@link FileAnswer} and
 * {@link ResponseStream} are).
 */
final class WholeAnswer {
    private WholeAnswer() {
    }

    /**
     * Queues the answer of {@code ex}, which {@link Http1Exchange#answerWhole} has just marked answered.
     * {@code copy}: {@code b} is the caller's again when this returns (else a body sent whole is queued
     * by reference).
     */
    static void queue(Http1Exchange ex, int status, String[] hdrs, boolean bodyless, boolean close,
                      byte[] b, int offset, int length, boolean copy) {
        HttpConnection conn = ex.connection();
        long announced = bodyless ? -1 : length;
        int sent = !ex.isHeadRequest() && !bodyless ? length : 0;
        CharSequence id = conn.requestIds().forHead(ex);
        byte[] date = conn.dateLine();
        byte[] statusLine = HttpStatus.statusLine(status);
        int size = ResponseHead.size(statusLine, date, hdrs, null, announced, false, close, id);
        byte[] reused = conn.reused.take(size + sent); // head and body in the connection's buffer, else arrays
        byte[] to = reused != null ? reused : new byte[size];
        ResponseHead.encodeInto(to, 0, statusLine, date, hdrs, null, announced, false, close, id);
        if (reused != null) {
            System.arraycopy(b, offset, to, size, sent);
            ex.enqueue(conn.reused.part(size + sent));
        } else {
            ex.enqueue(OutboundPart.Bytes.of(to));
            if (sent > 0) {
                ex.enqueue(OutboundPart.Bytes.of(copy || offset != 0 || sent != b.length
                        ? Arrays.copyOfRange(b, offset, offset + sent) : b));
            }
        }
        ex.bodyQueued(sent);
    }
}
