package dev.uhttp.workers.dispatcher.http;

/** Where a connection is in its life; it only moves forward. */
enum ConnectionLifecycle {
    /** Reading requests and writing answers. */
    OPEN,
    /** No more requests are read (last request, or an error); answers are still written. */
    READS_ENDED,
    /** The last response was written; nothing more is sent. */
    OUTPUT_ENDED,
    /** Output shut down; what the client still sends is drained for a while. */
    LINGERING,
    /** Closed. */
    CLOSED
}
