package dev.uhttp.workers.dispatcher.http;

/**
 * Told once when each exchange ends, on the loop thread: its response was written entirely, or its
 * connection closed first. Reads {@link HttpExchange#status()}, {@link HttpExchange#receivedNanos()},
 * {@link HttpExchange#bytesSent()} and {@link HttpExchange#attachment()}. Must be quick and must not throw.
 */
@FunctionalInterface
public interface ExchangeObserver {
    /** Observes nothing. */
    ExchangeObserver NONE = exchange -> { };

    void exchangeEnded(HttpExchange exchange);
}
