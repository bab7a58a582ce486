package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.internal.LogSink;
import dev.uhttp.workers.ipc.Message;

/** Sends log records to the dispatcher as {@link Message.Log}; usable from any thread. */
final class ChannelLogSink implements LogSink {
    private final Outbox outbox;

    ChannelLogSink(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void log(String loggerName, LogLevel level, String message) {
        outbox.send(new Message.Log(level.value(), loggerName, message));
    }
}
