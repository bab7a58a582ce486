package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.ipc.IpcChannel;
import java.io.IOException;

/** Starts worker processes for one pool: real JVMs in production, fakes in the pool's unit tests. */
public interface WorkerSpawner {

    /**
     * Starts a process for worker {@code workerId}; later, on the loop thread, exactly one of
     * {@code spawned}'s methods runs (at once, if it fails before anything was started).
     */
    void spawn(int workerId, Spawned spawned);

    /** Every worker of the pool has been ready (class data archives may be made now). Loop thread. */
    default void allReady() {
    }

    /** Connects a started worker's IPC channel and starts delivering its messages to {@code listener}. */
    @FunctionalInterface
    interface Attach {
        IpcChannel attach(Process process, IpcChannel.Listener listener) throws IOException;
    }

    /**
     * Measures the resident memory of {@code pids} off the loop and hands the sizes (bytes, -1 when
     * unknown), in the same order, to {@code result} on the loop thread. By default: none measured.
     */
    default void residentBytes(long[] pids, java.util.function.Consumer<long[]> result) {
    }

    /** A rolling reload starts: workers launched from now on should pick up new code on disk. */
    default void reloading() {
    }

    /** The outcome of a {@link #spawn}. */
    interface Spawned {
        /** The process runs; {@code attach} connects its IPC channel. */
        void started(Process process, Attach attach);

        /** Nothing could be started. */
        void failed(Exception cause);
    }
}
