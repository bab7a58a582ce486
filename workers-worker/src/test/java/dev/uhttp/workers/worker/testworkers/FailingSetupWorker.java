package dev.uhttp.workers.worker.testworkers;

import dev.uhttp.workers.api.Worker;

/** A worker whose setup() throws. */
public class FailingSetupWorker extends Worker {
    @Override
    public void setup() {
        throw new IllegalStateException("database unreachable");
    }
}
