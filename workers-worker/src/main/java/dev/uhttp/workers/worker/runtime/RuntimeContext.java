package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.internal.WorkerContext;
import dev.uhttp.workers.ipc.Message;
import java.util.Map;

/** The {@link WorkerContext} the runtime gives the worker it constructs. */
final class RuntimeContext implements WorkerContext {
    private final int workerId;
    private final String poolName;
    private final Map<String, Object> kwargs;
    private final Logger logger;
    private final InFlightRequests inFlight;
    private final Outbox outbox;

    RuntimeContext(int workerId, String poolName, Map<String, Object> kwargs, Logger logger,
                   InFlightRequests inFlight, Outbox outbox) {
        this.workerId = workerId;
        this.poolName = poolName;
        this.kwargs = kwargs;
        this.logger = logger;
        this.inFlight = inFlight;
        this.outbox = outbox;
    }

    @Override
    public int workerId() {
        return workerId;
    }

    @Override
    public String poolName() {
        return poolName;
    }

    @Override
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    /** Marks progress on the calling thread's request; a no-op outside a request. */
    @Override
    public void keepAlive() {
        InFlight f = inFlight.current();
        if (f != null && f.progress(System.nanoTime()) && f.id >= 0) {
            outbox.send(new Message.KeepAlive(f.id));
        }
    }
}
