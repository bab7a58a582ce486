package dev.uhttp.workers.dispatcher;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a pool does with a worker: {@link PoolStatus.WorkerStatus#role()}. In JSON (the status serialised
 * as is) and in the log it is its {@link #text()}.
 */
public enum WorkerRole {
    /** Takes requests once ready. */
    ACTIVE("active"),
    /** Ready and idle: takes over at once when an active worker leaves (a crash, a recycle). */
    SPARE("spare"),
    /** Takes no new requests; finishes what it holds, then is asked to stop and leaves the pool. */
    DRAINING("draining");

    private final String text;

    WorkerRole(String text) {
        this.text = text;
    }

    /** Its text in {@code /status}-style JSON, e.g. {@code draining}. */
    @JsonValue
    public String text() {
        return text;
    }
}
