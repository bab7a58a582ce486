package dev.uhttp.workers.ipc.testing;

import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A listener that records everything, and checks it is called on the loop thread. */
public final class Recorder implements IpcChannel.Listener {

    public final List<Message> messages = new CopyOnWriteArrayList<>();
    public final AtomicInteger drained = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    public final AtomicReference<IOException> cause = new AtomicReference<>();
    public final List<String> offLoop = new CopyOnWriteArrayList<>();
    private final LoopThread loop;

    public Recorder(LoopThread loop) {
        this.loop = loop;
    }

    private void checkThread(String what) {
        if (!loop.loop.inEventLoop()) {
            offLoop.add(what + " on " + Thread.currentThread().getName());
        }
    }

    @Override
    public void onMessage(Message message) {
        checkThread("onMessage");
        messages.add(message);
    }

    @Override
    public void onDrained() {
        checkThread("onDrained");
        drained.incrementAndGet();
    }

    @Override
    public void onClosed(IOException cause) {
        checkThread("onClosed");
        this.cause.set(cause);
        closed.incrementAndGet();
    }

    public List<Message.Response> responses() {
        return messages.stream().filter(Message.Response.class::isInstance).map(Message.Response.class::cast).toList();
    }
}
