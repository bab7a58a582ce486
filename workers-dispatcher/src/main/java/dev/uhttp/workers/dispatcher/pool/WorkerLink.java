package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.RecycleReason;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerRole;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.staticfiles.FileRoots;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.PiecePool;
import dev.uhttp.workers.ipc.ResponseView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The messages of one worker process (one slot, one generation): answers and streams go to their
 * clients, reports go to the scheduler and the supervisor. Messages of an older process of the same
 * slot are ignored. Loop thread only.
 *
 * <p><b>Back-pressure.</b> When a stream's connection buffers more than the dispatcher's pause mark
 * (half its {@code maxStreamBuffer}), the worker is told {@code StreamFlow(id, true)} and holds that
 * stream's output; when the client has read it down ({@code HttpExchange.onWritable}),
 * {@code StreamFlow(id, false)}. Over the full cap the engine drops the connection, which ends in
 * {@code ClientGone}: memory per connection never grows past the cap.
 */
final class WorkerLink implements IpcChannel.Listener {
    private static final byte[] NO_BODY = new byte[0];
    private final WorkerSlot slot;
    private final int generation;
    private final PoolRuntime pool;
    private final Scheduler scheduler;

    WorkerLink(WorkerSlot slot, int generation, PoolRuntime pool) {
        this.slot = slot;
        this.generation = generation;
        this.pool = pool;
        this.scheduler = pool.scheduler;
    }

    /** A complete answer read in place from the channel's buffer (Unix sockets): no copies unless a hook wants them. */
    @Override
    public void onResponse(ResponseView m) {
        if (generation != slot.generation) {
            return;
        }
        seen();
        responded(m.id(), m.status(), m.headers(), m.bodyArray(), m.bodyOffset(), m.bodyLength(), true);
        afterMessage();
    }

    private void seen() {
        slot.lastSeenNanos = pool.timers.nanoTime();
        slot.seen = true;
    }

    /** A draining worker may hold nothing any more: stopped now. */
    private void afterMessage() {
        if (slot.role == WorkerRole.DRAINING) {
            pool.supervisor.recycler.drain(slot);
        }
    }

    @Override
    public void onMessage(Message message) {
        if (generation != slot.generation) {
            return;
        }
        if (!(message instanceof Message.Stacks || message instanceof Message.SlowRequest)) {
            // Those come from the worker's watchdog thread, which runs while its handlers are stuck: no sign of life.
            seen();
        }
        if (message instanceof Message.Response m) {
            responded(m.id(), m.status(), m.headers(), m.body(), 0, m.body() == null ? 0 : m.body().length, false);
        } else if (message instanceof Message.FileResponse m) {
            respondedWithFile(m);
        } else if (message instanceof Message.Heartbeat m) {
            slot.stalledMillis = m.stalledMillis();
            slot.reportedBusy = m.busy().length > 0;
        } else if (message instanceof Message.Log m) {
            pool.context.workerLog(LogLevel.ofValue(m.level()), m.logger(), m.message());
        } else if (message instanceof Message.Ready) {
            pool.supervisor.ready(slot);
        } else if (message instanceof Message.KeepAlive m) {
            scheduler.keptAlive(slot, m.id());
        } else if (message instanceof Message.Pause m) {
            slot.paused = m.paused();
            if (!m.paused()) {
                scheduler.dispatchQueued();
            }
        } else if (message instanceof Message.StreamStart m) {
            streamStarted(m);
        } else if (message instanceof Message.StreamChunk m) {
            streamChunk(m);
        } else if (message instanceof Message.Deferred m) {
            scheduler.deferred(slot, m.id());
        } else if (message instanceof Message.StreamEnd m) {
            streamEnded(m.id());
        } else if (message instanceof Message.SlowRequest m) {
            pool.context.log(LogLevel.WARNING, pool.name(),
                    "slow request {} [rid={}] {} {} on worker {} (pid {}): running for {} ms (slowRequestThreshold {} ms); its handler:\n{}",
                    m.id(), m.requestId(), printable(m.method()), printable(m.path()), slot.id, slot.pid, m.elapsedMillis(),
                    pool.spec().slowRequestThreshold().map(java.time.Duration::toMillis).orElse(0L),
                    m.stack().stripTrailing());
        } else if (message instanceof Message.Stacks m) {
            pool.supervisor.stuck.stacksReceived(slot, m.text());
        } else if (message instanceof Message.ResponseStart m) {
            largeResponseStarted(m);
        } else if (message instanceof Message.BodyCredit m) {
            Pending p = slot.find(m.id());
            if (p != null && p.body() != null) {
                p.body().credit(m.bytes());
            }
        } else if (message instanceof Message.Forward m) {
            pool.context.hooks().onForward(m.path(), m.headers(), m.body());
        } else {
            pool.context.log(LogLevel.WARNING, pool.name(), "worker {} sent an unexpected {}", slot.id,
                    message.getClass().getSimpleName());
        }
        afterMessage();
    }

    @Override
    public void onClosed(IOException cause) {
        if (generation == slot.generation) {
            pool.supervisor.channelClosed(slot, cause);
        }
    }

    /**
     * A complete answer: its body is {@code length} bytes of {@code body} from {@code offset}; {@code inPlace}
     * when those and {@code headers} are the channel's, valid during this call only (copied out here).
     */
    private void responded(long id, int status, String[] headers, byte[] body, int offset, int length, boolean inPlace) {
        Pending p = slot.remove(id);
        // The worker is free: hand it its next request before writing this answer to the client, so
        // that it works while the dispatcher writes (a worker otherwise idles for that write).
        scheduler.dispatchQueued();
        if (p != null && !p.done && answered(p, status, headers, body, offset, length, inPlace)) {
            scheduler.finish(p, RemovalReason.COMPLETED);
            PoolHooks hooks = pool.context.hooks();
            if (hooks.wantsResponses()) {
                hooks.onResponse(status, inPlace ? headers.clone() : headers,
                        inPlace ? Arrays.copyOfRange(body, offset, offset + length) : body, p.request(pool));
            }
        }
        if (p != null && ++slot.served >= slot.requestLimit) {
            pool.supervisor.recycler.recycle(slot, RecycleReason.MAX_REQUESTS);
        }
        // No second dispatchQueued(): what the answer and onResponse queue (a pipelined request,
        // pool.send) dispatches itself.
    }

    /**
     * The worker answered with a file for the dispatcher to send: sent (zero-copy) only when it is a
     * regular file under one of the pool's file roots; anything else is the worker's bug or an attack,
     * answered 502 and logged.
     */
    private void respondedWithFile(Message.FileResponse m) {
        Pending p = slot.remove(m.id());
        scheduler.dispatchQueued();
        if (p != null && !p.done) {
            Path file = pool.fileRoots.resolve(m.path());
            if (file == null) {
                pool.context.log(LogLevel.ERROR, pool.name(), "pool {}: worker {} handed back {} for request {}, which is "
                        + "not a regular file under the pool's fileRoots {}; answered 502", pool.name(), slot.id,
                        printable(m.path()), p.id, pool.spec.fileRoots());
                scheduler.fail(p, 502, "Invalid response from worker", RemovalReason.COMPLETED);
            } else if (answerFromWorker(p, () -> FileRoots.respond(p.exchange, file, m.headers()))) {
                scheduler.finish(p, RemovalReason.COMPLETED);
                pool.context.hooks().onResponse(p.exchange.status(), m.headers(), NO_BODY, p.request(pool)); // 200, 206, 304 or 416
            }
        }
        if (p != null && ++slot.served >= slot.requestLimit) {
            pool.supervisor.recycler.recycle(slot, RecycleReason.MAX_REQUESTS);
        }
    }

    /** {@code s} safe for one log line: control characters escaped, at most 1000 characters. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 1000) + 8);
        for (int i = 0; i < s.length() && b.length() < 1000; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() >= 1000 ? b.append("...").toString() : b.toString();
    }

    /** {@link #answerFromWorker} for a complete answer, without a callback object per answer. */
    private boolean answered(Pending p, int status, String[] headers, byte[] body, int offset, int length, boolean inPlace) {
        try {
            if (inPlace) {
                p.exchange.respondCopy(status, headers, body, offset, length);
            } else {
                p.exchange.respond(status, headers, body);
            }
            return true;
        } catch (IllegalArgumentException e) {
            invalidAnswer(p, e);
            return false;
        }
    }

    /**
     * Passes a worker's answer to the client. The engine refuses what HTTP cannot carry (a header
     * name that is no token, a value with control characters): then the client gets 502 and the
     * worker's bug is logged, instead of a client left waiting.
     */
    private boolean answerFromWorker(Pending p, Runnable answer) {
        try {
            answer.run();
            return true;
        } catch (IllegalArgumentException e) {
            invalidAnswer(p, e);
            return false;
        }
    }

    private void invalidAnswer(Pending p, IllegalArgumentException e) {
        pool.context.log(LogLevel.ERROR, pool.name(), "worker {} answered request {} with an invalid response: {}",
                slot.id, p.id, e.getMessage());
        scheduler.fail(p, 502, "Invalid response from worker", RemovalReason.COMPLETED);
    }

    /**
     * A complete answer whose body follows in pieces: the worker is free for its next request at once
     * (as after a {@code Response}); the pieces go to the client by reference, and are credited back (per
     * 256 KiB, or all that is owed when the client has read its output down) while the connection's
     * output is at most the pause mark, so the dispatcher holds at most that plus
     * the worker's window of it, whatever the body's size.
     */
    private void largeResponseStarted(Message.ResponseStart m) {
        Pending p = slot.inFlight.remove(m.id());
        if (p != null) {
            slot.deferred.add(p);
        } else {
            p = slot.deferred.get(m.id());
        }
        scheduler.dispatchQueued();
        if (p == null) {
            return;
        }
        Pending pending = p;
        if (p.done || p.streaming) {
            scheduler.endHeldByWorker(slot, p); // timed out or gone meanwhile: the worker stops sending
            return;
        }
        p.largeResponse(true);
        scheduler.streaming(p);
        HttpExchange ex = p.exchange;
        if (!answerFromWorker(p, () -> ex.startStream(m.status(), m.headers(), m.length()))) {
            scheduler.endHeldByWorker(slot, p);
            return;
        }
        pool.context.hooks().onResponse(m.status(), m.headers(), new byte[0], p.request(pool));
        if (++slot.served >= slot.requestLimit) {
            pool.supervisor.recycler.recycle(slot, RecycleReason.MAX_REQUESTS);
        }
        if (!ex.isOpen() || ex.method().equals("HEAD") || HttpExchange.isBodyless(m.status()) || m.length() == 0) {
            // No body goes to the client: the answer is complete; the worker stops sending.
            scheduler.finish(p, RemovalReason.COMPLETED);
            scheduler.endHeldByWorker(slot, p);
            return;
        }
        ex.onWritable(() -> creditResponse(pending));
    }

    /** A large response's pieces are credited back in batches of this many bytes at least. */
    static final long RESPONSE_CREDIT_BATCH = 256 * 1024;

    private void creditResponse(Pending p) {
        if (p.responseOwed() > 0 && !p.done && slot.find(p.id) == p && slot.isConnected()) {
            slot.channel.send(new Message.ResponseCredit(p.id, p.responseOwed()));
            p.responseOwed(0);
        }
    }

    private void streamStarted(Message.StreamStart m) {
        Pending p = slot.find(m.id());
        if (p == null || p.done || p.streaming) {
            return;
        }
        scheduler.streaming(p);
        HttpExchange ex = p.exchange;
        if (!answerFromWorker(p, () -> ex.startStream(m.status(), m.headers()))) {
            scheduler.endHeldByWorker(slot, p);
            return;
        }
        if (!ex.isOpen()) {
            return; // the client is gone: its onClose sends ClientGone
        }
        if (ex.method().equals("HEAD") || HttpExchange.isBodyless(m.status())) {
            // No body can follow: the engine has completed the answer, so the stream ends here.
            scheduler.finish(p, RemovalReason.COMPLETED);
            scheduler.endHeldByWorker(slot, p);
            return;
        }
        ex.onWritable(() -> {
            if (p.flowPaused() && !p.done && slot.find(p.id) == p && slot.isConnected()) {
                p.flowPaused(false);
                slot.channel.send(new Message.StreamFlow(p.id, false));
            }
        });
    }

    private void streamChunk(Message.StreamChunk m) {
        Pending p = slot.find(m.id());
        if (p == null || p.done || !p.streaming) {
            PiecePool.shared().release(m.data()); // gone: dropped (a piece's array goes back to the pool)
            return;
        }
        HttpExchange ex = p.exchange;
        int n = m.data().length;
        // The piece's array (the decoder's, from the pool) is the exchange's now: given back once written.
        // Over the engine's cap this drops the connection (onClose -> ClientGone).
        ex.sendPiece(m.data());
        if (p.largeResponse()) {
            p.responseOwed(p.responseOwed() + n);
            // Per 256 KiB (a quarter of the worker's window, so it never waits for a batch to fill):
            // fewer messages and worker wake-ups than one credit per piece.
            if (p.responseOwed() >= RESPONSE_CREDIT_BATCH && ex.pendingOutputBytes() <= pool.context.streamPauseBytes()) {
                creditResponse(p); // else when the client has read it down (onWritable)
            }
            return;
        }
        if (!p.flowPaused() && !p.done && ex.isOpen() && ex.pendingOutputBytes() > pool.context.streamPauseBytes()) {
            p.flowPaused(true);
            slot.channel.send(new Message.StreamFlow(p.id, true));
        }
    }

    private void streamEnded(long id) {
        Pending p = slot.remove(id);
        if (p != null && !p.done && p.streaming) {
            p.exchange.endStream();
            scheduler.finish(p, p.largeResponse() ? RemovalReason.COMPLETED : RemovalReason.STREAM_CLOSED);
        }
        scheduler.dispatchQueued();
    }
}
