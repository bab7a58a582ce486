package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.ipc.Message;

/**
 * Sends log records to the dispatcher as {@link Message.Log}; usable from any thread. A record written
 * by a thread while it runs a request's handler starts with {@code [rid=<its X-Request-Id>] }.
 */
final class ChannelLogSink implements LogSink {
    private final Outbox outbox;
    private final InFlightRequests inFlight;

    ChannelLogSink(Outbox outbox, InFlightRequests inFlight) {
        this.outbox = outbox;
        this.inFlight = inFlight;
    }

    @Override
    public void log(LogLevel level, String loggerName, String message, Object... args) {
        String formatted = dev.uhttp.workers.api.Logger.format(message, args);
        InFlight f = inFlight == null ? null : inFlight.current();
        String text = f == null || f.requestId.isEmpty() ? formatted : "[rid=" + f.requestId + "] " + formatted;
        outbox.send(new Message.Log(level.value(), loggerName, text));
    }
}
