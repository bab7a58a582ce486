package dev.uhttp.workers.dispatcher;

/** Why a pool let go of a request ({@link DispatcherBuilder#onRequestRemoved}); each request has exactly one. */
public enum RemovalReason {
    /** Its worker answered (or its stream's head was all the answer there could be). */
    COMPLETED,
    /** It took longer than the pool's timeout: answered 504. */
    TIMEOUT,
    /** Its client went away first. */
    DISCONNECTED,
    /** Its worker ended the stream that answered it. */
    STREAM_CLOSED,
    /** The dispatcher shut down: answered 503, or its stream ended. */
    SHUTDOWN,
    /** Its worker process died or was killed as stuck: answered 502. */
    WORKER_DIED,
    /** Refused after it was queued: its pool became degraded (503) or it could not be sent (413). */
    REJECTED,
    /** Its stream was still open when its worker's drain timeout ran out (recycle, reload, resize). */
    DRAINED
}
