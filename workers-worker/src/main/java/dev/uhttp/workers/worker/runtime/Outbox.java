package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;

/**
 * Sends messages to the dispatcher from any thread: on the loop thread directly, from other threads
 * through {@link EventLoop#execute}, because the channel may only be used on its loop. Messages sent
 * after the channel closed are dropped.
 */
final class Outbox {
    private final EventLoop loop;
    private final IpcChannel channel;

    Outbox(EventLoop loop, IpcChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    void send(Message message) {
        if (loop.inEventLoop()) {
            sendNow(message);
        } else {
            loop.execute(() -> sendNow(message));
        }
    }

    private void sendNow(Message message) {
        if (channel.isOpen()) {
            channel.send(message);
        }
    }
}
