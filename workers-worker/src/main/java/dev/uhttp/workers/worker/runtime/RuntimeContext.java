package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.internal.WorkerContext;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import java.nio.channels.SelectableChannel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The {@link WorkerContext} the runtime gives the worker it constructs. */
final class RuntimeContext implements WorkerContext {
    private final int workerId;
    private final String poolName;
    private final Map<String, Object> kwargs;
    private final Logger logger;
    private final InFlightRequests inFlight;
    private final Outbox outbox;
    private final UserChannels channels;
    private final AtomicBoolean paused = new AtomicBoolean();

    RuntimeContext(int workerId, String poolName, Map<String, Object> kwargs, Logger logger,
                   InFlightRequests inFlight, Outbox outbox, UserChannels channels) {
        this.workerId = workerId;
        this.poolName = poolName;
        this.kwargs = kwargs;
        this.logger = logger;
        this.inFlight = inFlight;
        this.outbox = outbox;
        this.channels = channels;
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

    @Override
    public void forward(String route, Object data) {
        ResponseEncoder.Encoded encoded = ResponseEncoder.encode(data);
        outbox.send(new Message.Forward(route, encoded.headers(), encoded.body()));
    }

    @Override
    public void pause(boolean pause) {
        synchronized (paused) { // the Pause messages leave in the order of the state changes
            if (paused.compareAndSet(!pause, pause)) {
                outbox.send(new Message.Pause(pause));
            }
        }
    }

    @Override
    public boolean isPaused() {
        return paused.get();
    }

    @Override
    public void register(SelectableChannel channel, int op, Consumer<SelectableChannel> callback) {
        channels.register(channel, op, callback);
    }

    @Override
    public void unregister(SelectableChannel channel) {
        channels.unregister(channel);
    }
}
