package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The hooks of a {@link DispatcherConfig}, set with the builder's {@code doCheck}, {@code onResponse},
 * ... methods, and the shapes of those that take more than a value or two. Every hook runs on the
 * dispatcher's loop thread and must not block; one that throws is logged as an ERROR and the loop
 * goes on.
 */
public final class Hooks {
    /** Called with a request accepted for a pool; its result reaches the worker as {@code request.context()}. */
    @FunctionalInterface
    public interface RequestAccepted {
        /** The context for the worker (maps, lists, strings, numbers, booleans or null). */
        Object context(long requestId, Exchange exchange, PoolHandle pool) throws Exception;
    }

    /** Called after a static route answered {@code path} with {@code status}. */
    @FunctionalInterface
    public interface StaticServed {
        void served(Exchange exchange, String path, int status);
    }

    /** Receives every log record of the dispatcher and its workers. */
    @FunctionalInterface
    public interface LogHook {
        /** A record of logger {@code name}, already formatted. */
        void log(String name, LogLevel level, String message);
    }

    final ExchangeHandler doCheck;
    final ExchangeHandler doCheckSync;
    final RequestAccepted onRequestAccepted;
    /** Null: queue forwarded work at the pool that serves its route. */
    final BiConsumer<ForwardedWork, RunningDispatcher> onForward;
    final StaticServed onStaticServed;
    final BiConsumer<WorkerResponse, PoolRequest> onResponse;
    /** The default {@code onResponse}: without another, no {@link WorkerResponse} is made per answer. */
    static final BiConsumer<WorkerResponse, PoolRequest> NO_RESPONSE_HOOK = (response, request) -> { };
    /** The default {@code onRequestRemoved}: without another, no {@link PoolRequest} is made per request. */
    static final BiConsumer<PoolRequest, RemovalReason> NO_REMOVAL_HOOK = (request, reason) -> { };
    final Consumer<RunningDispatcher> onStart;
    final Consumer<RunningDispatcher> onIdle;
    final BiConsumer<PoolRequest, RemovalReason> onRequestRemoved;
    final Consumer<WorkerDeath> onWorkerDied;
    /** Null: the default output (standard error). */
    final LogHook onLog;

    private Hooks(Builder b) {
        doCheck = b.doCheck;
        doCheckSync = b.doCheckSync;
        onRequestAccepted = b.onRequestAccepted;
        onForward = b.onForward;
        onStaticServed = b.onStaticServed;
        onResponse = b.onResponse;
        onStart = b.onStart;
        onIdle = b.onIdle;
        onRequestRemoved = b.onRequestRemoved;
        onWorkerDied = b.onWorkerDied;
        onLog = b.onLog;
    }

    /** The hooks being set; each defaults to doing nothing. */
    static final class Builder {
        ExchangeHandler doCheck = ex -> { };
        ExchangeHandler doCheckSync = ex -> { };
        RequestAccepted onRequestAccepted = (id, ex, pool) -> null;
        BiConsumer<ForwardedWork, RunningDispatcher> onForward;
        StaticServed onStaticServed = (ex, path, status) -> { };
        BiConsumer<WorkerResponse, PoolRequest> onResponse = NO_RESPONSE_HOOK;
        Consumer<RunningDispatcher> onStart = d -> { };
        Consumer<RunningDispatcher> onIdle = d -> { };
        BiConsumer<PoolRequest, RemovalReason> onRequestRemoved = NO_REMOVAL_HOOK;
        Consumer<WorkerDeath> onWorkerDied = death -> { };
        LogHook onLog;

        Builder copy() {
            Builder c = new Builder();
            c.doCheck = doCheck;
            c.doCheckSync = doCheckSync;
            c.onRequestAccepted = onRequestAccepted;
            c.onForward = onForward;
            c.onStaticServed = onStaticServed;
            c.onResponse = onResponse;
            c.onStart = onStart;
            c.onIdle = onIdle;
            c.onRequestRemoved = onRequestRemoved;
            c.onWorkerDied = onWorkerDied;
            c.onLog = onLog;
            return c;
        }

        Hooks build() {
            return new Hooks(this);
        }
    }
}
