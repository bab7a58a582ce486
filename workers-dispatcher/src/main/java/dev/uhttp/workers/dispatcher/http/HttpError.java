package dev.uhttp.workers.dispatcher.http;

/** A request the engine refuses: answered with {@code status} and a JSON error, then the connection closes. */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
