package dev.uhttp.workers.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.api.internal.ErrorTexts;
import dev.uhttp.workers.api.internal.Loggers;
import dev.uhttp.workers.api.internal.WorkerContext;
import dev.uhttp.workers.worker.encoding.ResponseEncoder.Encoded;
import dev.uhttp.workers.worker.request.WorkerRequest;
import dev.uhttp.workers.worker.routing.RouteCollector;
import dev.uhttp.workers.worker.testworkers.TestWorker;
import dev.uhttp.workers.worker.testworkers.UserHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestProcessorTest {

    private final List<String> logged = new ArrayList<>();
    private final Logger log = Loggers.create("t[0]", LogLevel.DEBUG, (l, n, m, args) -> logged.add(l + " " + Logger.format(m, args)));

    /** A context whose logger is {@link #log}, so that what the worker logs can be checked. */
    private WorkerContext context() {
        WorkerContext detached = WorkerContext.detached();
        return new WorkerContext() {
            public int workerId() {
                return 0;
            }

            public String poolName() {
                return "t";
            }

            public java.util.Map<String, Object> kwargs() {
                return detached.kwargs();
            }

            public Logger logger() {
                return log;
            }

            public void keepAlive() {
            }
        };
    }

    private RequestProcessor processor(Worker worker, Object... handlers) {
        RouteCollector c = new RouteCollector().add(worker);
        for (Object h : handlers) {
            c.add(h);
        }
        return new RequestProcessor(worker, c.table(), log);
    }

    private static WorkerRequest request(String method, String path, String[] headers, String body) {
        return new WorkerRequest(1, method, path, "", headers, body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", 1, false);
    }

    private static String body(Encoded e) {
        return new String(e.body(), StandardCharsets.UTF_8);
    }

    @Test
    void routesWithTypedParams() {
        Encoded e = processor(new TestWorker()).process(request("GET", "/item/-4", new String[0], ""));
        assertEquals(200, e.status());
        assertTrue(body(e).contains("\"id\":-4") && body(e).contains("\"type\":\"Integer\""), body(e));
    }

    @Test
    void headIsRoutedToGet() {
        assertEquals(200, processor(new TestWorker()).process(request("HEAD", "/hello", new String[0], "")).status());
    }

    @Test
    void notFound() {
        Encoded e = processor(new TestWorker()).process(request("GET", "/item/abc", new String[0], ""));
        assertEquals(404, e.status());
        assertEquals("{\"error\":\"Not found\"}", body(e));
    }

    @Test
    void methodNotAllowedWithAllowHeader() {
        TestWorker worker = new TestWorker();
        UserHandler users = WorkerContext.construct(WorkerContext.detached(), worker, UserHandler::new);
        Encoded e = processor(worker, users).process(request("POST", "/api/user/3", new String[0], ""));
        assertEquals(405, e.status());
        assertEquals("DELETE, GET, HEAD", e.header("Allow"));
        assertEquals("{\"error\":\"Method not allowed\"}", body(e));
    }

    @Test
    void doCheckRejectAndDoCheckResult() {
        RequestProcessor p = processor(new TestWorker());
        Encoded rejected = p.process(request("GET", "/hello", new String[] {"X-Reject", "no token"}, ""));
        assertEquals(401, rejected.status());
        assertEquals("{\"error\":\"rejected: no token\"}", body(rejected));
        Encoded answered = p.process(request("GET", "/hello", new String[] {"X-Check", "1"}, ""));
        assertEquals(418, answered.status());
    }

    @Test
    void handlerErrorGoesToOnRequestError() {
        TestWorker worker = WorkerContext.construct(context(), null, TestWorker::new);
        Encoded e = processor(worker).process(request("GET", "/fail", new String[0], ""));
        assertEquals(500, e.status());
        assertEquals("{\"error\":\"handler failed on purpose\"}", body(e));
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("ERROR GET /fail failed") && l.contains("IllegalStateException")),
                logged.toString());
    }

    @Test
    void invalidJsonIs400() {
        Encoded e = processor(new TestWorker()).process(request("POST", "/echo", new String[0], "{oops"));
        assertEquals(400, e.status());
        assertTrue(body(e).startsWith("{\"error\":\"Invalid JSON"), body(e));
    }

    /** onRequestError itself fails. */
    public static class BrokenErrorHandler extends Worker {
        @Api("/boom")
        public Object boom(Request r) {
            throw new IllegalStateException("first");
        }

        @Override
        public Object onRequestError(Request request, Throwable error) {
            throw new IllegalStateException("second");
        }
    }

    @Test
    void failingOnRequestErrorIs500() {
        Encoded e = processor(new BrokenErrorHandler()).process(request("GET", "/boom", new String[0], ""));
        assertEquals(500, e.status());
        assertEquals("{\"error\":\"" + ErrorTexts.INTERNAL_SERVER_ERROR + "\"}", body(e));
        assertTrue(logged.stream().anyMatch(l -> l.contains("second") && l.contains("first")), logged.toString());
    }

    @Test
    void voidHandlerIsEmpty200() {
        Encoded e = processor(new TestWorker()).process(request("GET", "/empty", new String[0], ""));
        assertEquals(200, e.status());
        assertEquals(0, e.body().length);
    }
}
