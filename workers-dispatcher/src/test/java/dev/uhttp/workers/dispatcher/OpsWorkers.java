package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Worker classes for the operations tests (recycling, reload, resize, spares, drain, parking). */
public final class OpsWorkers {
    private OpsWorkers() {
    }

    /** Answers with its pid; holds deferred requests and streams; leaves a file behind in teardown(). */
    public static class OpsWorker extends Worker {
        private static final List<Object> RECEIVED = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<Request, Long> held = new ConcurrentHashMap<>();

        private Map<String, Object> me() {
            return Map.of("pid", ProcessHandle.current().pid(), "worker", workerId());
        }

        @Api("/ops/pid")
        public Object pid(Request request) {
            return me();
        }

        @Api("/ops/slow/{ms:int}")
        public Object slow(Request request) throws InterruptedException {
            Thread.sleep(request.intParam("ms")); // the slow work under test
            return me();
        }

        /** Deferred: answered after {@code ms} by the worker's idle ticks. */
        @Api("/ops/hold/{ms:int}")
        public Object hold(Request request) {
            held.put(request, System.nanoTime() + request.intParam("ms") * 1_000_000L);
            return DEFERRED;
        }

        /** An SSE stream that its worker ends after {@code ms}. */
        @Api("/ops/stream/{ms:int}")
        public Object stream(Request request) {
            request.responseStream();
            request.sendEvent(me(), "open");
            held.put(request, System.nanoTime() + request.intParam("ms") * 1_000_000L);
            return DEFERRED;
        }

        @Override
        public void onIdle() {
            long now = System.nanoTime();
            held.entrySet().removeIf(e -> {
                if (now - e.getValue() < 0) {
                    return false;
                }
                Request r = e.getKey();
                if (r.path().startsWith("/ops/stream")) {
                    r.sendEvent(me(), "bye");
                    r.responseStreamEnd();
                } else {
                    r.respond(me());
                }
                return true;
            });
        }

        @Api("/ops/whoami")
        public Object whoami(Request request) {
            return Map.of("remote", request.remoteAddress().getAddress().getHostAddress(), "secure", request.isSecure());
        }

        @Api("/ops/context")
        public Object context(Request request) {
            Map<String, Object> answer = new java.util.HashMap<>();
            answer.put("context", request.context());
            return answer;
        }

        /** Forwards its body to {@code target}, fire-and-forget. */
        @Api(value = "/ops/forward", methods = "POST")
        public Object forward(Request request) {
            forward(request.queryParam("target"), request.json());
            return Map.of("forwarded", true);
        }

        /** Keeps what was forwarded to it; {@code GET /ops/received} lists it. */
        @Api(value = "/ops/received", methods = "POST")
        public Object receive(Request request) {
            RECEIVED.add(request.json());
            return Map.of();
        }

        @Api(value = "/ops/received", methods = "GET")
        public Object received(Request request) {
            return Map.of("received", List.copyOf(RECEIVED));
        }

        @Api("/ops/exit/{code:int}")
        public Object exit(Request request) {
            System.exit(request.intParam("code"));
            return null;
        }

        @Override
        public void teardown() throws Exception {
            Object dir = kwargs().get("teardownDir");
            if (dir != null) {
                Files.writeString(Path.of(dir.toString(), "teardown-" + ProcessHandle.current().pid()),
                        "worker " + workerId());
            }
        }
    }

    /** Exits at once in setup() with the status given as kwarg {@code exit} (a failure no restart fixes). */
    public static class FailingSetupWorker extends Worker {
        @Override
        public void setup() {
            System.exit(((Number) kwargs().get("exit")).intValue());
        }

        @Api("/failing/never")
        public Object never(Request request) {
            return Map.of();
        }
    }
}
