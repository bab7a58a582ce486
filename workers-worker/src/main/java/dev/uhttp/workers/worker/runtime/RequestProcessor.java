package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
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

    /** The response to {@code request}; never throws. */
    public Encoded process(WorkerRequest request) {
        Object result;
        try {
            result = answer(request);
        } catch (RejectRequest reject) {
            result = reject.data() instanceof Response r ? r : Response.of(reject.status(), reject.data());
        } catch (InvalidBodyException invalid) {
            result = Response.of(400, Map.of("error", invalid.getMessage()));
        } catch (Throwable error) {
            result = onError(request, error);
        }
        try {
            return ResponseEncoder.encode(result);
        } catch (RuntimeException encodingFailed) {
            try {
                return ResponseEncoder.encode(onError(request, encodingFailed));
            } catch (RuntimeException again) {
                log.error("cannot encode the error response to {}", request, again);
                return ResponseEncoder.encode(500, Map.of("error", "Internal Server Error"));
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
            return Response.of(500, Map.of("error", "Internal Server Error"));
        }
    }
}
