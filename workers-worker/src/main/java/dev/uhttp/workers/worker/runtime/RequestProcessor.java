package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.api.internal.ErrorTexts;
import dev.uhttp.workers.api.internal.RouteTable;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import dev.uhttp.workers.worker.encoding.ResponseEncoder.Encoded;
import dev.uhttp.workers.worker.request.InvalidBodyException;
import dev.uhttp.workers.worker.request.WorkerRequest;
import dev.uhttp.workers.worker.routing.RouteTarget;
import java.util.Map;

/**
 * Answers one request: {@code doCheck}, routing, the handler, error handling, encoding. Independent of
 * IPC and threads; the runtime decides where it runs. Thread-safe when the worker is.
 */
public final class RequestProcessor {
    private final Worker worker;
    private final RouteTable<RouteTarget> routes;
    private final Logger log;

    public RequestProcessor(Worker worker, RouteTable<RouteTarget> routes, Logger log) {
        this.worker = worker;
        this.routes = routes;
        this.log = log;
    }

    /** What a handler gave: its result (the error result when it threw: {@code failed}). */
    public record Outcome(Object result, boolean failed) {
    }

    /**
     * The response to {@code request}; never throws. Null when the handler returned
     * {@link Worker#DEFERRED}.
     */
    public Encoded process(WorkerRequest request) {
        Outcome outcome = handle(request);
        return outcome.result() == Worker.DEFERRED ? null : encode(request, outcome.result());
    }

    /** Runs {@code doCheck}, routing and the handler; errors become results. Never throws. */
    public Outcome handle(WorkerRequest request) {
        try {
            return new Outcome(answer(request), false);
        } catch (RejectRequest reject) {
            return new Outcome(reject.data() instanceof Response r ? r : Response.of(reject.status(), reject.data()), false);
        } catch (InvalidBodyException invalid) {
            return new Outcome(Response.of(400, Map.of("error", invalid.getMessage())), false);
        } catch (Throwable error) {
            return new Outcome(onError(request, error), true);
        }
    }

    /** Encodes a handler result; an encoding failure goes through {@code onRequestError}. Never throws. */
    public Encoded encode(WorkerRequest request, Object result) {
        try {
            return ResponseEncoder.encode(result);
        } catch (RuntimeException encodingFailed) {
            try {
                return ResponseEncoder.encode(onError(request, encodingFailed));
            } catch (RuntimeException again) {
                log.error("cannot encode the error response to {}", request, again);
                return ResponseEncoder.encode(500, Map.of("error", ErrorTexts.INTERNAL_SERVER_ERROR));
            }
        }
    }

    private Object answer(WorkerRequest request) throws Exception {
        Object check = worker.doCheck(request);
        if (check != null) {
            return check;
        }
        RouteTable.Match<RouteTarget> match = routes.find(request.method(), request.path());
        if (match instanceof RouteTable.Found<RouteTarget> found) {
            request.pathParams(found.params());
            return found.route().handler().invoke(request);
        }
        if (match instanceof RouteTable.MethodNotAllowed<RouteTarget> notAllowed) {
            return Response.of(405, Map.of("error", "Method not allowed"))
                    .header("Allow", String.join(", ", notAllowed.allow()));
        }
        return Response.of(404, Map.of("error", "Not found"));
    }

    private Object onError(WorkerRequest request, Throwable error) {
        try {
            return worker.onRequestError(request, error);
        } catch (Throwable failed) {
            failed.addSuppressed(error);
            log.error("onRequestError failed for {}", request, failed);
            return Response.of(500, Map.of("error", ErrorTexts.INTERNAL_SERVER_ERROR));
        }
    }
}
