package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.PoolStatus;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graceful shutdown of a {@link DispatcherRuntime}, one step per state; each step polls on the loop
 * (every 20 ms) until its condition holds or its deadline passes. Apart because it is a sequence of its own.
 * On SIGTERM it begins with the lame duck ({@link Readiness}), whose readiness route it answers too.
 */
final class GracefulShutdown {
    private static final long POLL_MILLIS = 20;
    private final DispatcherRuntime rt;
    private final Readiness readiness;
    private long deadline;

    GracefulShutdown(DispatcherRuntime rt) {
        this.rt = rt;
        this.readiness = new Readiness(rt.config.lameDuck());
    }

    /** SIGTERM: the lame duck first (readiness 503, every route still served), then {@link #begin()}. */
    void terminate() {
        if (rt.state != DispatcherRuntime.State.RUNNING) {
            return;
        }
        if (readiness.terminate(System.nanoTime())) {
            begin();
            return;
        }
        long left = readiness.lameDuckLeftMillis(System.nanoTime());
        log(LogLevel.INFO, "lame duck: readiness answers 503 for {} ms, then shutting down", left);
        rt.loop.schedule(left, this::begin);
    }

    boolean inLameDuck() {
        return readiness.inLameDuck();
    }

    /** The readiness route's answer: 200 or 503 with {@code {"status", "reason", "node"}}. */
    void answerReadiness(HttpExchange exchange) {
        List<PoolStatus> statuses = new ArrayList<>(rt.pools().size());
        rt.pools().forEach(p -> statuses.add(p.status()));
        Readiness.Verdict verdict = readiness.verdict(System.nanoTime(), rt.state == DispatcherRuntime.State.RUNNING, statuses);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", verdict.ready() ? "ready" : "not ready");
        body.put("reason", verdict.reason());
        body.put("node", rt.config.nodeName());
        exchange.respond(verdict.status(), new String[] {"Content-Type", "application/json", "Cache-Control", "no-store"},
                dev.uhttp.workers.worker.encoding.ResponseEncoder.encode(body).body());
    }

    void begin() {
        if (rt.state != DispatcherRuntime.State.RUNNING) {
            return;
        }
        rt.state = DispatcherRuntime.State.DRAINING;
        log(LogLevel.INFO, "shutting down: {} request(s) pending", rt.pending());
        rt.server.stopAccepting();
        rt.pools().forEach(PoolRuntime::endStreams);
        deadline = System.nanoTime() + rt.config.shutdownTimeout().toNanos();
        awaitDrained();
    }

    private void awaitDrained() {
        if (rt.pending() > 0 && before(deadline)) {
            rt.loop.schedule(POLL_MILLIS, this::awaitDrained);
            return;
        }
        rt.state = DispatcherRuntime.State.STOPPING;
        for (PoolRuntime pool : rt.pools()) {
            pool.failAll(503, "Service unavailable: shutting down");
            pool.stop();
        }
        deadline = System.nanoTime() + 5_000_000_000L;
        awaitWorkers();
    }

    private void awaitWorkers() {
        boolean alive = rt.pools().stream().anyMatch(PoolRuntime::anyAlive);
        if (alive && before(deadline)) {
            rt.loop.schedule(POLL_MILLIS, this::awaitWorkers);
            return;
        }
        if (alive) {
            log(LogLevel.WARNING, "killing workers that did not stop in time");
            rt.pools().forEach(PoolRuntime::killAll);
        }
        deadline = System.nanoTime() + 1_000_000_000L;
        awaitConnectionsClosed();
    }

    /** Lets the last answers reach their clients: draining connections close after their last response. */
    private void awaitConnectionsClosed() {
        rt.server.closeIdleConnections();
        if (rt.server.connectionCount() > 0 && before(deadline)) {
            rt.loop.schedule(POLL_MILLIS, this::awaitConnectionsClosed);
            return;
        }
        rt.state = DispatcherRuntime.State.STOPPED;
        log(LogLevel.INFO, "stopped");
    }

    private void log(LogLevel level, String message, Object... args) {
        rt.log(level, DispatcherRuntime.LOGGER, message, args);
    }

    private static boolean before(long deadline) {
        return System.nanoTime() - deadline < 0;
    }
}
