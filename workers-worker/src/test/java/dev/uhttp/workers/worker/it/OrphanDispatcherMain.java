package dev.uhttp.workers.worker.it;

import dev.uhttp.workers.worker.testworkers.TestWorker;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in dispatcher run in its own JVM by {@link OrphanTest}: launches a worker, gets its only
 * handler thread stuck, prints the worker's pid, then waits to be killed.
 */
public final class OrphanDispatcherMain {
    private OrphanDispatcherMain() {
    }

    public static void main(String[] args) throws Exception {
        WorkerHarness h = WorkerHarness.launch(args[0], TestWorker.class, 1, 100, Map.of());
        h.awaitReady();
        h.sendRequest("GET", "/spin", "", new String[0], new byte[0]);
        h.awaitLog("spinning"::equals);
        System.out.println("WORKER_PID " + h.process().pid());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }
}
