package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Worker classes the dispatcher tests launch in real worker JVMs. */
public final class TestWorkers {
    private TestWorkers() {
    }

    /** The main test pool: echo, pids, slow, exit, config. */
    public static class ApiWorker extends Worker {
        private volatile Map<String, Object> config = Map.of();

        @Api(value = "/api/echo", methods = "POST")
        public Object echo(Request request) {
            return Map.of("echo", request.json(), "pool", poolName(), "worker", workerId());
        }

        @Api(value = "/api/bytes", methods = "POST")
        public Object bytes(Request request) {
            return request.body(); // application/octet-stream, the same bytes
        }

        @Api(value = "/api/item/{id:int}", methods = "GET")
        public Object item(Request request) {
            return Map.of("id", request.intParam("id"), "query", request.query(), "secure", request.isSecure());
        }

        @Api("/api/pid")
        public Object pid(Request request) {
            return Map.of("pid", ProcessHandle.current().pid(), "worker", workerId());
        }

        @Api("/api/slow/{ms:int}")
        public Object slow(Request request) throws InterruptedException {
            return sleep(request);
        }

        @Api("/timeout/slow/{ms:int}")
        public Object sleep(Request request) throws InterruptedException {
            Thread.sleep(request.intParam("ms"));
            return Map.of("slept", request.intParam("ms"));
        }

        @Api("/api/exit")
        public Object exit(Request request) {
            Runtime.getRuntime().halt(3);
            return null;
        }

        @Api(value = "/api/config", methods = "GET")
        public Object config(Request request) {
            return config;
        }

        @Api("/api/status/{code:int}")
        public Object status(Request request) {
            return Response.of(request.intParam("code"), Map.of("code", request.intParam("code")));
        }

        @Api("/api/badheader")
        public Object badHeader(Request request) {
            return Response.redirect("/café/日本"); // not Latin-1: HTTP cannot carry it
        }

        @Api("/api/badstream")
        public Object badStream(Request request) {
            request.responseStream("text/plain", Map.of("X-Bad", "日本"), List.of());
            request.sendChunk("never seen");
            return DEFERRED;
        }

        @Override
        public void onConfig(Map<String, Object> config) {
            this.config = config;
        }
    }

    /** A handler that never returns (a stuck native call, say): no heartbeats while it runs. */
    public static class HangWorker extends Worker {
        @Api("/hang/hang")
        public Object hang(Request request) {
            long x = 0;
            while (!Thread.currentThread().isInterrupted()) {
                x++;
            }
            return Map.of("x", x);
        }

        @Api("/hang/item/{id:int}")
        public Object item(Request request) {
            return Map.of("id", request.intParam("id"));
        }
    }

    /** The fallback pool: answers anything with its pool name. */
    public static class FallbackWorker extends Worker {
        @Api(value = "/other/{name}", methods = "GET")
        public Object other(Request request) {
            return Map.of("pool", poolName(), "name", request.pathParam("name"));
        }
    }

    /** Records what it receives (fire-and-forget forwards land here); one worker, so one list. */
    public static class StoreWorker extends Worker {
        private final List<Object> items = new ArrayList<>();

        @Api(value = "/store/items", methods = "POST")
        public Object add(Request request) {
            items.add(request.json());
            return Response.of(201, Map.of("count", items.size()));
        }

        @Api(value = "/store/items", methods = "GET")
        public Object list(Request request) {
            return Map.of("items", items);
        }
    }

    /** A setup() that hangs (waiting for a database that never answers, say). */
    public static class HangingSetupWorker extends Worker {
        @Override
        public void setup() throws InterruptedException {
            new java.util.concurrent.CountDownLatch(1).await();
        }

        @Api("/never/ready")
        public Object never(Request request) {
            return Map.of();
        }
    }

    /** Fails setup() while the file named by kwarg "failWhile" exists. */
    public static class FlakyWorker extends Worker {
        @Override
        public void setup() {
            if (Files.exists(Path.of((String) kwargs().get("failWhile")))) {
                throw new IllegalStateException("setup failed on purpose");
            }
        }

        @Api("/flaky/ping")
        public Object ping(Request request) {
            Map<String, Object> out = new HashMap<>();
            out.put("ok", true);
            return out;
        }
    }
}
