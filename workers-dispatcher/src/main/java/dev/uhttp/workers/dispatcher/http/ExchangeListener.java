package dev.uhttp.workers.dispatcher.http;

/** Told when each exchange is over, e.g. for an access log. Loop thread; must not block. */
@FunctionalInterface
public interface ExchangeListener {
    /**
     * {@code exchange} is over: its whole response was written ({@code complete}), or its connection
     * closed first. Its {@link HttpExchange#status()} is 0 when it was never answered.
     */
    void exchangeDone(HttpExchange exchange, boolean complete);
}
