package dev.uhttp.workers.worker.encoding;

/** Placeholder: being written. */
public final class ResponseEncoder {
    private ResponseEncoder() {
    }
}
