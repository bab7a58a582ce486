package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.dispatcher.Metrics;
import dev.uhttp.workers.dispatcher.accesslog.AccessLog;
import dev.uhttp.workers.dispatcher.accesslog.AccessLogSettings;
import dev.uhttp.workers.dispatcher.http.HttpServer;
import dev.uhttp.workers.dispatcher.metrics.DispatcherMetrics;
import dev.uhttp.workers.dispatcher.metrics.LoopLag;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What watches a running dispatcher (metrics, access log, loop lag): wired once, apart from serving. */
final class Observability {
    private final DispatcherMetrics metrics = new DispatcherMetrics();
    private AccessLog accessLog;

    DispatcherMetrics metrics() {
        return metrics;
    }

    /** Opens the access log, if there is one ({@code settings} not null). */
    void startAccessLog(AccessLogSettings settings, DispatcherHooks hooks) throws IOException {
        if (settings != null) {
            accessLog = new AccessLog(settings, hooks::clientAddress, hooks);
            accessLog.start();
        }
    }

    /** Sets up the gauges' sampler, the exchange observers and the loop-lag probe. */
    void wire(HttpServer server, List<PoolRuntime> pools, SelectorLoop loop, BooleanSupplier running) {
        metrics.gaugeSampler(() -> {
            pools.forEach(PoolRuntime::sampleMetrics);
            metrics.sampleConnections(HttpServer.CONNECTION_STATES, server.connectionStates());
        });
        server.observe(accessLog == null ? metrics : metrics.andThen(accessLog));
        LoopLag.start(loop, metrics, running);
    }

    /** A snapshot of the metrics, taken on the loop thread (see {@link DispatcherMetrics#snapshotOn}). */
    Metrics snapshot(SelectorLoop loop, boolean ended) {
        return metrics.snapshotOn(loop, ended);
    }

    void reopenAccessLog() {
        if (accessLog != null) {
            accessLog.reopen();
        }
    }

    long accessLogDropped() {
        return accessLog == null ? 0 : accessLog.dropped();
    }

    void close() {
        if (accessLog != null) {
            accessLog.close();
        }
    }
}
