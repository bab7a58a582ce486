package dev.uhttp.workers.dispatcher.http;

/** What the engine calls with each complete request, on the loop thread. Must not block. */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Handles {@code exchange}: answer it now, or keep it and answer later on the loop thread. An
     * exception thrown here is answered 500 and the loop goes on.
     */
    void handle(HttpExchange exchange);
}
