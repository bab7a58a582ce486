package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.lifecycle.DispatcherHooks;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The one path from a {@link DispatcherConfig}'s hooks to the runtime: turns the runtime's values into
 * the public types ({@link Exchange}, {@link WorkerResponse}, {@link ForwardedWork}) and calls the hook,
 * and is the one place a throwing hook is caught and logged (the checks' exceptions are the router's:
 * they decide the answer).
 */
final class HookCalls implements DispatcherHooks {
    private static final String LOGGER = "dispatcher";

    private final DispatcherConfig config;
    private final Hooks hooks;
    private final RunningDispatcher running;
    private final LogOutput output = LogOutput.standardError();

    HookCalls(DispatcherConfig config, RunningDispatcher running) {
        this.config = config;
        this.hooks = config.hooks;
        this.running = running;
    }

    @Override
    public Exchange exchange(HttpExchange exchange, Map<String, Object> pathParams) {
        Exchange ex;
        if (config.trustedProxies.isEmpty()) { // the peer is the client: no Origin to make
            ex = new Exchange(exchange, exchange.remoteAddress(), exchange.isSecure(), running);
        } else {
            var origin = config.trustedProxies.origin(exchange);
            ex = new Exchange(exchange, origin.address(), origin.secure(), running);
        }
        if (!pathParams.isEmpty()) {
            ex.pathParams(pathParams);
        }
        return ex;
    }

    @Override
    public InetSocketAddress clientAddress(HttpExchange exchange) {
        return config.trustedProxies.origin(exchange).address();
    }

    @Override
    public void doCheck(Exchange exchange) throws Exception {
        hooks.doCheck.handle(exchange);
    }

    @Override
    public void doCheckSync(Exchange exchange) throws Exception {
        hooks.doCheckSync.handle(exchange);
    }

    @Override
    public Object onRequestAccepted(long requestId, Exchange exchange, PoolHandle pool) throws Exception {
        return hooks.onRequestAccepted.context(requestId, exchange, pool);
    }

    @Override
    public void onStaticServed(HttpExchange exchange, String path, int status) {
        guard("onStaticServed", () -> hooks.onStaticServed.served(exchange(exchange, Map.of()), path, status));
    }

    @Override
    public void onStart() {
        guard("onStart", () -> hooks.onStart.accept(running));
    }

    @Override
    public void onIdle() {
        guard("onIdle", () -> hooks.onIdle.accept(running));
    }

    @Override
    public boolean wantsResponses() {
        return hooks.onResponse != Hooks.NO_RESPONSE_HOOK;
    }

    @Override
    public boolean wantsRemovals() {
        return hooks.onRequestRemoved != Hooks.NO_REMOVAL_HOOK;
    }

    @Override
    public void onResponse(int status, String[] headers, byte[] body, PoolRequest request) {
        guard("onResponse", () -> hooks.onResponse.accept(new WorkerResponse(status, headers, body), request));
    }

    @Override
    public void onForward(String route, String[] headers, byte[] body) {
        ForwardedWork work = new ForwardedWork(route, headers, body);
        guard("onForward", () -> {
            if (hooks.onForward == null) {
                running.forward(work);
            } else {
                hooks.onForward.accept(work, running);
            }
        });
    }

    @Override
    public void onRequestRemoved(PoolRequest request, RemovalReason reason) {
        guard("onRequestRemoved", () -> hooks.onRequestRemoved.accept(request, reason));
    }

    @Override
    public void onWorkerDied(WorkerDeath death) {
        guard("onWorkerDied", () -> hooks.onWorkerDied.accept(death));
    }

    /** Forwarded work queued at the pool serving its route, else dropped with a WARNING. */
    void queue(PoolHandle target, ForwardedWork work) {
        if (target == null) {
            log(LogLevel.WARNING, LOGGER, "forward to {} dropped: no pool serves it", work.route());
        } else if (!((PoolRuntime) target).forward(work.route(), work.rawHeaders(), work.rawBody())) {
            log(LogLevel.WARNING, LOGGER, "forward to {} dropped: pool {} is degraded or its queue is full",
                    work.route(), target.name());
        }
    }

    @Override
    public void log(LogLevel level, String logger, String message, Object... args) {
        if (level.value() >= config.logLevel.value()) { // below it: not even formatted
            write(logger, level, Logger.format(message, args));
        }
    }

    @Override
    public void workerLog(LogLevel level, String logger, String message) {
        write(logger, level, message);
    }

    private void write(String logger, LogLevel level, String text) {
        if (hooks.onLog == null) {
            output.write(config.logTarget, logger, level, text);
            return;
        }
        try {
            hooks.onLog.log(logger, level, text);
        } catch (RuntimeException e) {
            output.write(LOGGER, LogLevel.ERROR, "onLog failed: " + e);
        }
    }

    private void guard(String hook, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log(LogLevel.ERROR, LOGGER, "{} failed", hook, e);
        }
    }
}
