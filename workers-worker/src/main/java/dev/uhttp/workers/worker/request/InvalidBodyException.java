package dev.uhttp.workers.worker.request;

/**
 * The request body could not be parsed as asked ({@code json()}, {@code json(Class)}). A handler may
 * catch it (it is an {@link IllegalArgumentException}); otherwise the runtime answers 400 with
 * {@code {"error": message}} instead of treating it as a server error.
 */
public final class InvalidBodyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
