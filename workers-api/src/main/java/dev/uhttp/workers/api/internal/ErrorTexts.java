package dev.uhttp.workers.api.internal;

/** The texts of error answers that both the dispatcher and the workers give, spelt once. */
public final class ErrorTexts {
    /** {@code {"error": "Internal server error"}}: a 500 whose cause is not shown to the client. */
    public static final String INTERNAL_SERVER_ERROR = "Internal server error";

    private ErrorTexts() {
    }
}
