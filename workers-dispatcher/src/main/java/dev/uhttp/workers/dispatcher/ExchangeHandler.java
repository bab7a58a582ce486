package dev.uhttp.workers.dispatcher;

/**
 * Code that handles an {@link Exchange} on the dispatcher's loop thread: a loop route
 * ({@code builder.get("/health", ex -> ex.respond(...))}), {@code doCheck} or {@code doCheckSync}.
 * It must be fast and must not block. To refuse a request, answer it and throw
 * {@link dev.uhttp.workers.api.RejectRequest}; another exception answers 500 and is logged.
 */
@FunctionalInterface
public interface ExchangeHandler {
    /** Handles {@code exchange}. */
    void handle(Exchange exchange) throws Exception;
}
