package dev.uhttp.workers.dispatcher.http;

/** What the engine calls with each complete request, on the loop thread. Must not block. */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Handles {@code exchange}: answer it now, or keep it and answer later on the loop thread. An
     * exception thrown here is answered 500 and the loop goes on.
     */
    void handle(HttpExchange exchange);

    /**
     * Called when the head of a request with a body is complete, before the body is read: the largest
     * body this request may stream, or {@code -1} (the default) to receive it whole within
     * {@code maxContentLength}. A streaming request is handed to {@link #handle} at once, its body
     * following through {@link HttpExchange#streamedBody()}; one announced over the returned limit is
     * answered 413 without reading the body.
     *
     * @param length the announced {@code Content-Length}, or {@code -1} for a chunked body
     */
    default long streamBodyLimit(String method, String path, String listener, long length) {
        return -1;
    }
}
