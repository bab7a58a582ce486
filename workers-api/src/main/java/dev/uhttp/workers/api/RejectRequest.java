package dev.uhttp.workers.api;

import java.util.Map;

/**
 * Thrown from a {@code doCheck} hook to refuse a request before it is routed.
 *
 * <p>In a worker, the response is {@link #data()} with {@link #status()} (default 403
 * {@code {"error":"Rejected"}}). In the dispatcher's {@code doCheck(client)}, the hook has already
 * answered the client and the exception only stops further processing.
 */
public class RejectRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object data;
    private final int status;

    /** Rejects with 403 {@code {"error":"Rejected"}}. */
    public RejectRequest() {
        this(403, Map.of("error", "Rejected"));
    }

    /** Rejects with {@code status} and {@code data} (any result type a handler may return), as {@link Response#of(int, Object)}. */
    public RejectRequest(int status, Object data) {
        super("request rejected with status " + status, null, false, false);
        this.data = data;
        this.status = status;
    }

    /** The body to answer with. */
    public Object data() {
        return data;
    }

    /** The status to answer with. */
    public int status() {
        return status;
    }
}
