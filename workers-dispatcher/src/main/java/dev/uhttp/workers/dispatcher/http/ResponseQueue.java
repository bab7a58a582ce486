package dev.uhttp.workers.dispatcher.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The exchanges of one connection in request order, and the count of the response bytes they hold.
 * Only the oldest is written; a later exchange's answer waits in its own queue (pipelined responses
 * in request order).
 */
final class ResponseQueue {
    /** What a {@link #writeOut} achieved. */
    enum Written {
        /** Everything that could be written was; the oldest exchange is still being answered, or none is left. */
        CAUGHT_UP,
        /** The socket took no more: wait for OP_WRITE. */
        BLOCKED,
        /** A response after which the connection closes was written entirely. */
        LAST
    }

    private final ArrayDeque<Http1Exchange> exchanges = new ArrayDeque<>(4);
    private final long lowWaterMark;
    private long pendingBytes;
    private boolean aboveLowWater;

    ResponseQueue(long lowWaterMark) {
        this.lowWaterMark = lowWaterMark;
    }

    void add(Http1Exchange ex) {
        exchanges.addLast(ex);
    }

    /** Drops {@code ex} and its queued output. */
    void remove(Http1Exchange ex) {
        exchanges.remove(ex);
        pendingBytes -= ex.discardOutput();
    }

    int size() {
        return exchanges.size();
    }

    boolean isEmpty() {
        return exchanges.isEmpty();
    }

    Http1Exchange oldest() {
        return exchanges.peekFirst();
    }

    Http1Exchange newest() {
        return exchanges.peekLast();
    }

    /** Response bytes queued and not yet written (file regions not counted). */
    long pendingBytes() {
        return pendingBytes;
    }

    void addPending(long n) {
        pendingBytes += n;
        if (pendingBytes > lowWaterMark) {
            aboveLowWater = true;
        }
    }

    void written(long n) {
        pendingBytes -= n;
    }

    /** Whether output went above the low-water mark and is back at or below it (reported once). */
    boolean drainedBelowLowWater() {
        if (aboveLowWater && pendingBytes <= lowWaterMark) {
            aboveLowWater = false;
            return true;
        }
        return false;
    }

    /** Writes the oldest exchanges' output, in order, as far as the transport takes it. */
    Written writeOut(Transport transport, ByteBuffer[] gather) throws IOException {
        Http1Exchange h;
        while ((h = exchanges.peekFirst()) != null) {
            if (!h.writeOut(transport, gather)) {
                return Written.BLOCKED;
            }
            if (!h.isComplete()) {
                return Written.CAUGHT_UP;
            }
            exchanges.pollFirst();
            h.writeFinished();
            if (h.closeAfter) {
                return Written.LAST;
            }
        }
        return Written.CAUGHT_UP;
    }

    /** A copy of the exchanges, for callbacks that may change the queue. */
    List<Http1Exchange> snapshot() {
        return new ArrayList<>(exchanges);
    }

    /** Empties the queue: output dropped, onClose callbacks of unfinished exchanges run. */
    void abortAll() {
        List<Http1Exchange> open = snapshot();
        exchanges.clear();
        for (Http1Exchange ex : open) {
            pendingBytes -= ex.discardOutput();
            ex.connectionClosed();
        }
        pendingBytes = 0;
    }
}
