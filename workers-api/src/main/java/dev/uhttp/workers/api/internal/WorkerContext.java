package dev.uhttp.workers.api.internal;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.Worker;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the worker runtime gives a {@link Worker}. The runtime installs it for the duration of the
 * worker's (and its handlers') construction, so user classes need only a no-argument constructor.
 */
public interface WorkerContext {

    int workerId();

    String poolName();

    Map<String, Object> kwargs();

    Logger logger();

    /** Reports progress on the calling thread's current request. */
    void keepAlive();

    /** Asks the dispatcher for no new requests ({@code paused}) or for requests again. */
    default void pause(boolean paused) {
        throw new IllegalStateException("pause() and resume() need the worker runtime");
    }

    /** Sends fire-and-forget work for {@code route} to the dispatcher ({@code Worker.forward}). */
    default void forward(String route, Object data) {
        throw new IllegalStateException("forward() needs the worker runtime");
    }

    /** Whether the worker asked for no new requests. */
    default boolean isPaused() {
        return false;
    }

    /** Watches {@code channel} for {@code op} ({@code SelectionKey.OP_READ} or {@code OP_WRITE}) on the worker's loop. */
    default void register(java.nio.channels.SelectableChannel channel, int op,
                          java.util.function.Consumer<java.nio.channels.SelectableChannel> callback) {
        throw new IllegalStateException("registered channels need the worker runtime");
    }

    /** Stops watching {@code channel}. */
    default void unregister(java.nio.channels.SelectableChannel channel) {
    }

    /** Runs {@code constructor} with {@code context} (and, for handlers, {@code worker}) installed. */
    static <T> T construct(WorkerContext context, Worker worker, Supplier<T> constructor) {
        Binding previous = BINDING.get();
        BINDING.set(new Binding(context, worker));
        try {
            return constructor.get();
        } finally {
            if (previous == null) {
                BINDING.remove();
            } else {
                BINDING.set(previous);
            }
        }
    }

    /** The context being constructed, or a detached one (for workers made directly in unit tests). */
    static WorkerContext constructing() {
        Binding binding = BINDING.get();
        return binding != null ? binding.context : detached();
    }

    /** The worker whose handlers are being constructed. */
    static Worker constructingWorker() {
        Binding binding = BINDING.get();
        if (binding == null || binding.worker == null) {
            throw new IllegalStateException("handlers are made by the worker runtime, for the handlers() of a worker");
        }
        return binding.worker;
    }

    /** A context for a worker outside any runtime: id 0, pool "detached", logs to stderr. */
    static WorkerContext detached() {
        Logger logger = Loggers.create("detached", LogLevel.DEBUG, (level, name, message, args) ->
                System.getLogger(name).log(System.Logger.Level.INFO, level + " " + Logger.format(message, args)));
        return new WorkerContext() {
            @Override
            public int workerId() {
                return 0;
            }

            @Override
            public String poolName() {
                return "detached";
            }

            @Override
            public Map<String, Object> kwargs() {
                return Map.of();
            }

            @Override
            public Logger logger() {
                return logger;
            }

            @Override
            public void keepAlive() {
            }
        };
    }

    /** The thread-local binding used during construction. */
    ThreadLocal<Binding> BINDING = new ThreadLocal<>();

    /** A context and (for handlers) the worker, bound while constructing. */
    record Binding(WorkerContext context, Worker worker) {
    }
}
