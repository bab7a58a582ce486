package dev.uhttp.workers.dispatcher.http;

import java.util.Objects;

/**
 * Told once when each exchange ends, on the loop thread: its response was written entirely
 * ({@code complete}), or its connection closed first. Reads what {@link HttpExchange} recorded (status,
 * times, bytes sent, who served it ({@link ServedBy}) and the worker, the request id). The metrics and
 * the access log are observers. Must be quick, must not block and must not throw.
 */
@FunctionalInterface
public interface ExchangeObserver {
    /** Observes nothing. */
    ExchangeObserver NONE = (exchange, complete) -> { };

    /**
     * {@code exchange} is over: written entirely ({@code complete}), or its connection closed first; its
     * {@link HttpExchange#status()} is 0 when it was never answered.
     */
    void exchangeEnded(HttpExchange exchange, boolean complete);

    /** This observer, then {@code next}. */
    default ExchangeObserver andThen(ExchangeObserver next) {
        Objects.requireNonNull(next, "next");
        return this == NONE ? next : (exchange, complete) -> {
            exchangeEnded(exchange, complete);
            next.exchangeEnded(exchange, complete);
        };
    }
}
