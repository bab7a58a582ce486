package dev.uhttp.workers.dispatcher;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a worker leaves, or will leave, its pool although it did not fail: {@link PoolStatus.WorkerStatus#recycleReason()}.
 * In JSON (the status serialised as is) and in the log it is its {@link #text()}.
 */
public enum RecycleReason {
    /** It served its pool's {@code maxRequests} (plus its jitter). */
    MAX_REQUESTS("max-requests"),
    /** It reached its pool's {@code maxAge} (plus its jitter). */
    MAX_AGE("max-age"),
    /** Its resident memory went over its pool's {@code maxMemory}. */
    MAX_MEMORY("max-memory"),
    /** A rolling reload replaces it (SIGHUP, {@code reload()}). */
    RELOAD("reload"),
    /** {@code resize} lowered the pool's number of workers. */
    RESIZE("resize"),
    /** Taken out of service with none of the reasons above recorded. */
    RETIRED("retired");

    private final String text;

    RecycleReason(String text) {
        this.text = text;
    }

    /** Its text in {@code /status}-style JSON and in the log, e.g. {@code max-requests}. */
    @JsonValue
    public String text() {
        return text;
    }
}
