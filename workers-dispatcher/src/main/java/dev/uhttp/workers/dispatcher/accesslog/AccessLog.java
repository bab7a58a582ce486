package dev.uhttp.workers.dispatcher.accesslog;

import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.dispatcher.http.ExchangeObserver;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * The access log: one line per exchange, every one the dispatcher answered (static files, sync
 * handlers, pools, and its own errors: 404, 413, 503...), formatted on the loop when the response
 * was written (or the connection closed first: status 499 when it was never answered, as nginx), and
 * handed to an {@link AccessLogWriter}.
 */
public final class AccessLog implements ExchangeObserver {
    static final String LOGGER = "dispatcher";
    private final AccessLogSettings settings;
    private final Function<HttpExchange, InetSocketAddress> client;
    private final LineFormats formats = new LineFormats();
    private final AccessLogWriter writer;

    /**
     * @param client the client's address as trusted proxies report it
     * @param log    where the writer reports a file it cannot write
     */
    public AccessLog(AccessLogSettings settings, Function<HttpExchange, InetSocketAddress> client,
                     LogSink log) {
        this.settings = settings;
        this.client = client;
        this.writer = new AccessLogWriter(settings, log);
    }

    /** Opens the file and starts the writer thread. */
    public void start() throws IOException {
        writer.start();
    }

    @Override
    public void exchangeEnded(HttpExchange ex, boolean complete) {
        InetSocketAddress remote = client.apply(ex);
        String address = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        long durationMicros = (System.nanoTime() - ex.startNanos()) / 1000;
        LineFormats.Entry e = new LineFormats.Entry(System.currentTimeMillis(), address, ex.method(), ex.target(),
                ex.protocol(), ex.status() == 0 ? 499 : ex.status(), ex.bodyBytesSent(), durationMicros, ex.servedBy().label(),
                ex.workerId(), ex.requestId(), ex.header("User-Agent"), ex.header("Referer"));
        writer.offer(settings.json() ? formats.json(e) : formats.combined(e));
    }

    /** Lines dropped because the writer fell behind (or the file could not be written). */
    public long dropped() {
        return writer.dropped();
    }

    /** Reopens the file by its path (SIGUSR1, after logrotate moved it). */
    public void reopen() {
        writer.reopen();
    }

    /** Writes what is queued and stops the writer thread. */
    public void close() {
        writer.close(2_000);
    }
}
