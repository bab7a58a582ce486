package dev.uhttp.workers.ipc;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * The single-threaded selector loop a channel lives on (the dispatcher's, or a worker's own).
 * Everything but {@link #execute} must be called on the loop thread.
 */
public interface EventLoop {

    /** Registers {@code channel} (made non-blocking) for {@code ops}; {@code handler} runs when it is ready. */
    SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws IOException;

    /** Runs {@code task} on the loop thread soon; callable from any thread, wakes the loop if needed. */
    void execute(Runnable task);

    /** Whether the caller is the loop thread. */
    boolean inEventLoop();

    /** Called by the loop when a registered channel is ready. */
    @FunctionalInterface
    interface IoHandler {
        void ready(SelectionKey key) throws IOException;
    }
}
