package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends messages to the dispatcher from any thread, in one order: the order of the {@link #send}
 * calls, whatever thread makes them (a stream's start queued by a pool thread is never overtaken by a
 * chunk sent on the loop thread). The channel may only be used on its loop, so messages go through
 * one queue that the loop thread drains: at once when the caller is the loop thread, else through
 * {@link EventLoop#execute}. Messages sent after the channel closed are dropped.
 */
final class Outbox {
    private final EventLoop loop;
    private final IpcChannel channel;
    private final Queue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = () -> {
        drainScheduled.set(false);
        drain();
    };

    Outbox(EventLoop loop, IpcChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    void send(Message message) {
        queue.add(message);
        if (loop.inEventLoop()) {
            drain();
        } else if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    /** Loop thread: sends everything queued, oldest first. */
    private void drain() {
        Message m;
        while ((m = queue.poll()) != null) {
            if (channel.isOpen()) {
                channel.send(m);
            }
        }
    }
}
