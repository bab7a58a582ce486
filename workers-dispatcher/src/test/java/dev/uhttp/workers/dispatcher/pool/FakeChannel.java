package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The dispatcher's end of a worker channel, in memory: records what is sent, delivers what the test says. */
final class FakeChannel implements IpcChannel {
    final List<Message> sent = new ArrayList<>();
    Listener listener;
    boolean open = true;

    @Override
    public void start(EventLoop loop, Listener listener) {
        this.listener = listener;
    }

    @Override
    public void send(Message message) {
        if (!open) {
            throw new IllegalStateException("closed");
        }
        sent.add(message);
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    /** A message from the worker. */
    void receive(Message message) {
        listener.onMessage(message);
    }

    /** The channel broke. */
    void fail(IOException cause) {
        open = false;
        listener.onClosed(cause);
    }

    /** The ids of the client requests sent on this channel, in order. */
    List<Long> requestIds() {
        List<Long> ids = new ArrayList<>();
        for (Message m : sent) {
            if (m instanceof Message.Request r && r.id() >= 0) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    /** How many messages of {@code type} were sent. */
    long count(Class<? extends Message> type) {
        return sent.stream().filter(type::isInstance).count();
    }
}
