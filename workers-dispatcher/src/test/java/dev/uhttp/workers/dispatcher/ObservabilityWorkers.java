package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import java.util.Map;

/** Workers for the request id, slow-request and stuck-stack tests, run in real worker JVMs. */
public final class ObservabilityWorkers {
    private ObservabilityWorkers() {
    }

    public static class TracedWorker extends Worker {
        /** Logs a record while it runs (tagged with the request id) and returns the id it saw. */
        @Api("/obs/hello")
        public Object hello(Request request) {
            log.warning("hello from the handler");
            return Map.of("rid", request.requestId());
        }

        @Api("/obs/busy/{ms:int}")
        public Object busy(Request request) {
            return Map.of("x", burnCpuBusyLoop((Integer) request.pathParams().get("ms")));
        }

        /** Never returns: a busy loop, until the worker is killed. */
        @Api("/obs/spin")
        public Object spin(Request request) {
            return Map.of("x", spinForeverInBusyLoop());
        }

        static long burnCpuBusyLoop(int millis) {
            long end = System.nanoTime() + millis * 1_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x++;
            }
            return x;
        }

        static long spinForeverInBusyLoop() {
            long x = 0;
            while (x >= 0) {
                x = (x + 1) & Long.MAX_VALUE;
            }
            return x;
        }
    }

    /** Run with concurrency 1: its handlers hold the worker's loop thread. */
    public static class LoopWorker extends Worker {
        @Api("/loop/spin")
        public Object spin(Request request) {
            return Map.of("x", TracedWorker.spinForeverInBusyLoop());
        }
    }
}
