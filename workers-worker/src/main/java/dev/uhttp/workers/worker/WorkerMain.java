package dev.uhttp.workers.worker;

/** Placeholder: the worker entry point is being written. */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("not yet");
    }
}
