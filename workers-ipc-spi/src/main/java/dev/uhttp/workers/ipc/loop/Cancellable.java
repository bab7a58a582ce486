package dev.uhttp.workers.ipc.loop;

/** Something scheduled that can be called off: a timer of {@link SelectorLoop}, or a test's fake. */
public interface Cancellable {
    /** Calls it off; harmless when it already ran or was cancelled. */
    void cancel();
}
