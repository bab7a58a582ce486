package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.ipc.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The user's channels watched on the worker's loop ({@code Worker.registerReader}/{@code registerWriter}).
 * A channel keeps one selection key; unregistering only clears its interest (so it can be registered
 * again at once), and the key goes when the channel is closed. An unregistered channel never becomes
 * ready, so one the user closes later is forgotten by a later {@link #register} (which looks for
 * closed channels whenever the map has doubled since it last looked). Loop thread, except
 * {@link #register} and {@link #unregister}, which hop to it.
 */
final class UserChannels {
    private final EventLoop loop;
    private final Logger log;
    private final Map<SelectableChannel, Entry> entries = new HashMap<>();
    /** Size of {@link #entries} at which {@link #register} next looks for closed channels (amortised O(1)). */
    private int scanAt = MIN_SCAN;
    private static final int MIN_SCAN = 16;

    private static final class Entry {
        final SelectableChannel channel;
        Consumer<SelectableChannel> reader;
        Consumer<SelectableChannel> writer;
        SelectionKey key;

        Entry(SelectableChannel channel) {
            this.channel = channel;
        }

        int ops() {
            return (reader != null ? SelectionKey.OP_READ : 0) | (writer != null ? SelectionKey.OP_WRITE : 0);
        }
    }

    UserChannels(EventLoop loop, Logger log) {
        this.loop = loop;
        this.log = log;
    }

    void register(SelectableChannel channel, int op, Consumer<SelectableChannel> callback) {
        if (op != SelectionKey.OP_READ && op != SelectionKey.OP_WRITE) {
            throw new IllegalArgumentException("op must be OP_READ or OP_WRITE");
        }
        if (loop.inEventLoop()) {
            registerNow(channel, op, callback);
        } else {
            loop.execute(() -> {
                try {
                    registerNow(channel, op, callback);
                } catch (RuntimeException e) {
                    log.error("cannot register {}", channel, e);
                }
            });
        }
    }

    private void registerNow(SelectableChannel channel, int op, Consumer<SelectableChannel> callback) {
        if (entries.size() >= scanAt) {
            forgetClosed();
            scanAt = Math.max(MIN_SCAN, 2 * entries.size());
        }
        Entry e = entries.computeIfAbsent(channel, Entry::new);
        if (op == SelectionKey.OP_READ) {
            e.reader = callback;
        } else {
            e.writer = callback;
        }
        try {
            if (e.key == null || !e.key.isValid()) {
                e.key = loop.register(channel, e.ops(), key -> ready(e, key));
            } else {
                e.key.interestOps(e.ops());
            }
        } catch (IOException ex) {
            entries.remove(channel);
            throw new UncheckedIOException("cannot register " + channel + ": " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            entries.remove(channel);
            throw ex;
        }
    }

    void unregister(SelectableChannel channel) {
        if (loop.inEventLoop()) {
            unregisterNow(channel);
        } else {
            loop.execute(() -> unregisterNow(channel));
        }
    }

    private void unregisterNow(SelectableChannel channel) {
        Entry e = entries.get(channel);
        if (e == null) {
            return;
        }
        e.reader = null;
        e.writer = null;
        if (e.key != null && e.key.isValid() && channel.isOpen()) {
            e.key.interestOps(0); // kept: registering again needs no new key
        } else {
            forget(e);
        }
    }

    /** Forgets the channels closed since they were unregistered (nothing else would: they are never ready). */
    private void forgetClosed() {
        entries.values().removeIf(e -> {
            if (e.channel.isOpen()) {
                return false;
            }
            if (e.key != null) {
                e.key.cancel();
            }
            return true;
        });
    }

    /** Channels known (for tests). Loop thread. */
    int size() {
        return entries.size();
    }

    private void ready(Entry e, SelectionKey key) {
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0 && e.reader != null) {
            call(e.reader, e);
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && e.writer != null && key.isValid()) {
            call(e.writer, e);
        }
        if (!e.channel.isOpen() || !key.isValid()) {
            forget(e);
        }
    }

    private void call(Consumer<SelectableChannel> callback, Entry e) {
        try {
            callback.accept(e.channel);
        } catch (Throwable t) {
            log.error("callback of registered channel {} failed", e.channel, t);
        }
    }

    private void forget(Entry e) {
        if (entries.get(e.channel) == e) {
            entries.remove(e.channel);
        }
        if (e.key != null) {
            e.key.cancel();
        }
    }
}
