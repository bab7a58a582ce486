package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A running pool: its worker processes, its queue, and their supervision (launch, restart on death,
 * kill when stuck, restart budget and degraded state). Loop thread only, except where noted.
 *
 * <p><b>Deferred and streaming answers.</b> A worker reports {@code Deferred(id)} when a handler
 * returned without answering: the request moves from the slot's in-flight set (which counts against
 * {@code concurrency}) to its deferred set, so the worker gets further requests while it stays open.
 * A deferred request keeps its timeout (504, and {@code ClientGone} to the worker) unless
 * {@code KeepAlive} restarts it; a stream has none. A client that leaves, a timed-out deferred request
 * and a stream cut by the engine all send {@code ClientGone(id)}, which the worker turns into
 * {@code Worker.onDisconnect(id)}.
 *
 * <p><b>Back-pressure.</b> When a stream's connection buffers more than half the engine's
 * {@code maxStreamBuffer}, the worker is told {@code StreamFlow(id, true)} (it then holds that stream's
 * output); when the client has read it down again ({@code HttpExchange.onWritable}),
 * {@code StreamFlow(id, false)}. Over the full cap the engine drops the connection, which ends in
 * {@code ClientGone}: memory per connection never grows past the cap.
 */
final class PoolRuntime {

    final WorkerPool config;
    private final Dispatcher dispatcher;
    private final SelectorLoop loop;
    private final IpcServer ipc;
    private final Executor launcher;
    private final WorkerLauncher commands;
    private final Map<String, String> childEnvironment;
    private final WorkerSlot[] slots;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ArrayDeque<Message.Request> fireAndForget = new ArrayDeque<>();
    private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    private final long timeoutMillis;
    private final long stuckMillis;
    private int pendingCount;
    private int nextSlot;
    private boolean queueWarned;
    private Map<String, Object> lastConfig;
    private boolean stopping;

    PoolRuntime(WorkerPool config, Dispatcher dispatcher, SelectorLoop loop, IpcServer ipc, Executor launcher,
                WorkerLauncher commands, Map<String, String> childEnvironment) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.loop = loop;
        this.ipc = ipc;
        this.launcher = launcher;
        this.commands = commands;
        this.childEnvironment = childEnvironment;
        this.slots = new WorkerSlot[config.workers()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new WorkerSlot(i);
        }
        this.timeoutMillis = config.timeout().toMillis();
        this.stuckMillis = config.stuckTimeout().toMillis();
    }

    String name() {
        return config.name();
    }

    /** Launches every worker and starts the stuck-worker check. */
    void start() {
        for (WorkerSlot slot : slots) {
            launch(slot);
        }
        long every = Math.max(50, Math.min(config.heartbeatInterval().toMillis(), 1000) / 2);
        scheduleRepeating(every, this::checkStuck);
    }

    private void scheduleRepeating(long every, Runnable task) {
        loop.schedule(every, () -> {
            if (!stopping) {
                task.run();
                scheduleRepeating(every, task);
            }
        });
    }

    // ------------------------------------------------------------------ launching and supervision

    private void launch(WorkerSlot slot) {
        int generation = ++slot.generation;
        slot.state = WorkerSlot.State.STARTING;
        slot.process = null;
        slot.channel = null;
        slot.pid = -1;
        slot.paused = false;
        slot.seen = false;
        slot.stalledMillis = 0;
        slot.reportedBusy = false;
        ProcessBuilder pb = new ProcessBuilder(commands.command(config, slot.id));
        pb.environment().putAll(childEnvironment);
        IpcServer.Launch launch;
        try {
            launch = ipc.prepare(pb);
        } catch (IOException e) {
            launchFailed(slot, generation, e);
            return;
        }
        loop.schedule(config.startupTimeout().toMillis(), () -> {
            if (generation == slot.generation && slot.state == WorkerSlot.State.STARTING && !stopping) {
                dispatcher.log(LogLevel.ERROR, name(), "worker {} (pid {}) not ready after {} s (startup timeout): killing and restarting",
                        slot.id, slot.pid, config.startupTimeout().toSeconds());
                if (slot.process != null) {
                    slot.process.destroyForcibly(); // exited() restarts it
                }
            }
        });
        // fork/exec can take milliseconds: keep it off the loop thread.
        launcher.execute(() -> {
            try {
                Process process = pb.start();
                loop.execute(() -> started(slot, generation, launch, process));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> {
                    launch.cancel();
                    launchFailed(slot, generation, e);
                });
            }
        });
    }

    private void launchFailed(WorkerSlot slot, int generation, Exception e) {
        if (generation != slot.generation) {
            return;
        }
        slot.state = WorkerSlot.State.DEAD;
        dispatcher.log(LogLevel.CRITICAL, name(), "cannot launch worker {}: {}", slot.id, e.toString());
        restartOrDegrade(slot);
    }

    private void started(WorkerSlot slot, int generation, IpcServer.Launch launch, Process process) {
        if (generation != slot.generation || stopping) {
            process.destroyForcibly();
            return;
        }
        slot.process = process;
        slot.pid = process.pid();
        process.onExit().thenRun(() -> loop.execute(() -> exited(slot, generation, process)));
        try {
            IpcChannel channel = launch.attach(process);
            slot.channel = channel;
            slot.deferred.clear();
            channel.start(loop, new Listener(slot, generation));
            channel.send(new Message.Init(config.name(), slot.id, config.workerClass().getName(), config.kwargs(),
                    config.logLevel().value(), config.heartbeatInterval().toMillis(), config.concurrency()));
            if (lastConfig != null) {
                channel.send(new Message.Config(lastConfig));
            }
        } catch (IOException | RuntimeException e) {
            dispatcher.log(LogLevel.ERROR, name(), "cannot attach to worker {} (pid {}): {}", slot.id, slot.pid, e.toString());
            process.destroyForcibly();
        }
    }

    private void exited(WorkerSlot slot, int generation, Process process) {
        if (generation != slot.generation) {
            return;
        }
        WorkerSlot.State before = slot.state;
        slot.state = WorkerSlot.State.DEAD;
        if (slot.channel != null) {
            slot.channel.close();
        }
        failInFlight(slot, 502, "Worker died");
        if (stopping || before == WorkerSlot.State.STOPPING) {
            return;
        }
        dispatcher.log(LogLevel.ERROR, name(), "worker {} (pid {}) died with exit code {}: restarting",
                slot.id, process.pid(), process.exitValue());
        restartOrDegrade(slot);
    }

    private void restartOrDegrade(WorkerSlot slot) {
        if (stopping) {
            return;
        }
        long now = System.nanoTime();
        long window = config.restartWindow().toNanos();
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= window) {
            restartTimes.pollFirst();
        }
        if (restartTimes.size() < config.maxRestarts()) {
            restartTimes.addLast(now);
            slot.restarts++;
            slot.recovering |= slot.awaitingBudget;
            slot.awaitingBudget = false;
            launch(slot);
            return;
        }
        if (!slot.awaitingBudget) {
            slot.awaitingBudget = true;
            dispatcher.log(LogLevel.ERROR, name(),
                    "pool degraded: {} restarts within {} s; worker {} waits for the restart budget",
                    restartTimes.size(), config.restartWindow().toSeconds(), slot.id);
            failQueued(503, "Service unavailable: pool " + name() + " is degraded");
        }
        long waitMillis = restartTimes.isEmpty() ? 0
                : TimeUnit.NANOSECONDS.toMillis(restartTimes.peekFirst() + window - now) + 1;
        loop.schedule(waitMillis, () -> {
            if (slot.awaitingBudget) {
                restartOrDegrade(slot);
            }
        });
    }

    private boolean allReady() {
        for (WorkerSlot s : slots) {
            if (s.state != WorkerSlot.State.READY) {
                return false;
            }
        }
        return true;
    }

    /** Whether the pool answers 503: a worker waits for the restart budget or has not recovered yet. */
    boolean isDegraded() {
        for (WorkerSlot slot : slots) {
            if (slot.awaitingBudget || slot.recovering) {
                return true;
            }
        }
        return false;
    }

    private void checkStuck() {
        long now = System.nanoTime();
        for (WorkerSlot slot : slots) {
            if (slot.state != WorkerSlot.State.READY || (slot.inFlight.isEmpty() && !slot.reportedBusy)) {
                continue;
            }
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - slot.lastSeenNanos);
            long stalled = Math.max(silentMillis, slot.stalledMillis);
            if (stalled > stuckMillis) {
                dispatcher.log(LogLevel.ERROR, name(),
                        "worker {} (pid {}) stuck: no progress for {} ms (stuck timeout {} ms): killing and restarting",
                        slot.id, slot.pid, stalled, stuckMillis);
                slot.state = WorkerSlot.State.DEAD;
                failInFlight(slot, 502, "Worker was stuck and has been restarted");
                if (slot.process != null) {
                    slot.process.destroyForcibly();
                    // exited() sees the same generation and restarts it.
                    slot.state = WorkerSlot.State.STARTING;
                }
            }
        }
    }

    // ------------------------------------------------------------------ requests

    /** Queues a client request for this pool; answers 503 at once when the pool is degraded. */
    void submit(Pending p) {
        if (isDegraded()) {
            dispatcher.answer(p.client.exchange(), 503, "Service unavailable: pool " + name() + " is degraded");
            return;
        }
        pendingCount++;
        dispatcher.pendingChanged(+1);
        p.timer = loop.schedule(timeoutMillis, () -> timedOut(p));
        p.client.exchange().onClose(() -> clientGone(p));
        queue.addLast(p);
        int threshold = config.queueWarning();
        if (threshold > 0 && queue.size() > threshold && !queueWarned) {
            queueWarned = true;
            dispatcher.log(LogLevel.WARNING, name(), "queue holds {} requests (warning threshold {})",
                    queue.size(), threshold);
        } else if (queue.size() <= threshold / 2) {
            queueWarned = false;
        }
        dispatchQueued();
    }

    /** Sends queued requests to workers with a free slot, least busy first. */
    private void dispatchQueued() {
        while (!fireAndForget.isEmpty()) {
            WorkerSlot slot = pickWorker(Integer.MAX_VALUE);
            if (slot == null) {
                break;
            }
            Message.Request work = fireAndForget.pollFirst();
            try {
                slot.channel.send(work);
            } catch (IllegalArgumentException e) {
                // Over the frame limit (a channel refuses what it cannot encode and stays open).
                dispatcher.log(LogLevel.ERROR, name(), "fire-and-forget {} {} dropped: {}", work.method(), work.path(),
                        e.getMessage());
            }
        }
        while (!queue.isEmpty()) {
            Pending head = queue.peekFirst();
            if (head.done) {
                queue.pollFirst();
                continue;
            }
            WorkerSlot slot = pickWorker(config.concurrency());
            if (slot == null) {
                return;
            }
            queue.pollFirst();
            HttpExchange ex = head.client.exchange();
            head.slot = slot;
            slot.inFlight.put(head.id, head);
            java.net.InetSocketAddress remote = ex.remoteAddress();
            try {
                slot.channel.send(new Message.Request(head.id, ex.method(), ex.path(), ex.query(), ex.headers(),
                        ex.body(), remote.getHostString(), remote.getPort(), ex.isSecure()));
            } catch (IllegalArgumentException e) {
                // Cannot happen within maxContentLength (the frame limit is above it); answer, never stall.
                slot.inFlight.remove(head.id);
                dispatcher.log(LogLevel.ERROR, name(), "request {} cannot be sent to a worker: {}", head.id, e.getMessage());
                finish(head, 413, "Request too large for the worker channel", null);
            }
        }
    }

    private WorkerSlot pickWorker(int concurrency) {
        WorkerSlot best = null;
        for (int i = 0; i < slots.length; i++) {
            WorkerSlot s = slots[(nextSlot + i) % slots.length];
            if (s.hasFreeSlot(concurrency) && (best == null || s.inFlight.size() < best.inFlight.size())) {
                best = s;
            }
        }
        if (best != null) {
            nextSlot = (best.id + 1) % slots.length;
        }
        return best;
    }

    private void timedOut(Pending p) {
        if (p.done || p.streaming) {
            return;
        }
        HttpExchange ex = p.client.exchange();
        dispatcher.log(LogLevel.WARNING, name(), "request {} {} {} timed out after {} ms{}", p.id, ex.method(),
                ex.path(), timeoutMillis, p.slot == null ? " in the queue" : " on worker " + p.slot.id);
        // A worker still holds it: its slot stays busy until it answers (the answer is then dropped).
        finish(p, 504, "Gateway timeout", null);
        if (p.slot == null) {
            queue.remove(p); // O(queue), on a timeout only; keeps the queue to live requests
        }
        forgetDeferred(p);
    }

    /** Forgets {@code p} on this slot and tells the worker, whose {@code onDisconnect} runs. */
    private void endHeldByWorker(WorkerSlot slot, Pending p) {
        slot.remove(p.id);
        if (slot.channel != null && slot.channel.isOpen()) {
            slot.channel.send(new Message.ClientGone(p.id));
        }
    }

    /** A deferred request that ended here (timeout, client gone): the worker forgets it too. */
    private void forgetDeferred(Pending p) {
        WorkerSlot slot = p.slot;
        if (slot != null && slot.deferred.remove(p.id, p) && slot.channel != null && slot.channel.isOpen()) {
            slot.channel.send(new Message.ClientGone(p.id));
        }
    }

    private void clientGone(Pending p) {
        if (p.done) {
            return;
        }
        finish(p, 0, null, null);
        WorkerSlot slot = p.slot;
        if (slot == null) {
            queue.remove(p);
        }
        if (slot != null && slot.channel != null && slot.channel.isOpen() && slot.inFlight.containsKey(p.id)) {
            // Still in its handler: the slot stays busy until the worker answers or defers it.
            slot.channel.send(new Message.ClientGone(p.id));
        }
        forgetDeferred(p);
    }

    /** Ends {@code p} with an error answer (status 0: no answer, the client is gone). */
    private void finish(Pending p, int status, String error, WorkerResponse response) {
        p.done = true;
        if (p.timer != null) {
            p.timer.cancel();
        }
        pendingCount--;
        dispatcher.pendingChanged(-1);
        if (status != 0 && response == null) {
            dispatcher.answer(p.client.exchange(), status, error);
        }
    }

    private void failInFlight(WorkerSlot slot, int status, String error) {
        endHeld(slot, status, error, false);
    }

    /**
     * Ends what {@code slot}'s worker holds (in flight and deferred): an open stream gets its last
     * chunk, anything else {@code status} with {@code error}. With {@code streamsOnly}, only streams
     * end, and the worker is told ({@code onDisconnect}).
     */
    private void endHeld(WorkerSlot slot, int status, String error, boolean streamsOnly) {
        List<Pending> ended = new ArrayList<>();
        for (Map<Long, Pending> held : List.of(slot.inFlight, slot.deferred)) {
            held.values().removeIf(p -> {
                boolean end = !streamsOnly || (p.streaming && !p.done);
                if (end) {
                    ended.add(p);
                }
                return end;
            });
        }
        // Answering can run client callbacks that look at the slot: the maps are settled before.
        for (Pending p : ended) {
            if (p.done) {
                continue;
            }
            if (p.streaming) {
                p.client.exchange().endStream();
                finish(p, 0, null, null);
                if (streamsOnly && slot.channel != null && slot.channel.isOpen()) {
                    slot.channel.send(new Message.ClientGone(p.id));
                }
            } else {
                finish(p, status, error, null);
            }
        }
    }

    private void failQueued(int status, String error) {
        while (!queue.isEmpty()) {
            Pending p = queue.pollFirst();
            if (!p.done) {
                finish(p, status, error, null);
            }
        }
    }

    // ------------------------------------------------------------------ messages from workers

    private final class Listener implements IpcChannel.Listener {
        private final WorkerSlot slot;
        private final int generation;

        Listener(WorkerSlot slot, int generation) {
            this.slot = slot;
            this.generation = generation;
        }

        @Override
        public void onMessage(Message message) {
            if (generation != slot.generation) {
                return;
            }
            slot.lastSeenNanos = System.nanoTime();
            slot.seen = true;
            if (message instanceof Message.Response m) {
                responded(slot, m);
            } else if (message instanceof Message.Heartbeat m) {
                slot.stalledMillis = m.stalledMillis();
                slot.reportedBusy = m.busy().length > 0;
            } else if (message instanceof Message.Log m) {
                dispatcher.log(LogLevel.ofValue(m.level()), m.logger(), "{}", m.message());
            } else if (message instanceof Message.Ready m) {
                ready(slot);
            } else if (message instanceof Message.KeepAlive m) {
                keptAlive(slot, m.id());
            } else if (message instanceof Message.Pause m) {
                slot.paused = m.paused();
                if (!m.paused()) {
                    dispatchQueued();
                }
            } else if (message instanceof Message.StreamStart m) {
                streamStarted(slot, m);
            } else if (message instanceof Message.StreamChunk m) {
                streamChunk(slot, m);
            } else if (message instanceof Message.Deferred m) {
                deferred(slot, m.id());
            } else if (message instanceof Message.StreamEnd m) {
                Pending p = slot.remove(m.id());
                if (p != null && !p.done && p.streaming) {
                    p.client.exchange().endStream();
                    finish(p, 0, null, null);
                }
                dispatchQueued();
            } else {
                dispatcher.log(LogLevel.WARNING, name(), "worker {} sent an unexpected {}", slot.id,
                        message.getClass().getSimpleName());
            }
        }

        @Override
        public void onClosed(IOException cause) {
            if (generation != slot.generation || stopping) {
                return;
            }
            if (cause != null) {
                dispatcher.log(LogLevel.ERROR, name(), "channel to worker {} (pid {}) failed: {}: killing it",
                        slot.id, slot.pid, cause.getMessage());
            }
            // A worker without its channel is useless: make sure it is gone; exited() restarts it.
            if (slot.process != null) {
                slot.process.destroyForcibly();
            }
        }
    }

    private void ready(WorkerSlot slot) {
        if (slot.state == WorkerSlot.State.STARTING) {
            slot.state = WorkerSlot.State.READY;
            if (slot.recovering) {
                slot.recovering = false;
                if (!isDegraded()) {
                    dispatcher.log(LogLevel.WARNING, name(), "pool recovered: all workers are ready again");
                }
            }
            dispatcher.log(LogLevel.INFO, name(), "worker {} ready (pid {})", slot.id, slot.pid);
            dispatchQueued();
            if (allReady()) {
                commands.archivesPoolReady(config);
            }
        }
    }

    private void responded(WorkerSlot slot, Message.Response m) {
        Pending p = slot.remove(m.id());
        // The worker is free: hand it its next request before writing this answer to the client, so
        // that it works while the dispatcher writes (a worker otherwise idles for that write).
        dispatchQueued();
        if (p != null && !p.done) {
            WorkerResponse response = new WorkerResponse(m.status(), m.headers(), m.body());
            if (answerFromWorker(slot, p, () -> p.client.exchange().respond(m.status(), m.headers(), m.body()))) {
                finish(p, m.status(), null, response);
                dispatcher.responded(response, p);
            }
        }
        // No second dispatchQueued(): what the answer and onResponse queue (a pipelined request,
        // pool.send) dispatches itself in submit() and the fire-and-forget path.
    }

    /**
     * Passes a worker's answer to the client. The engine refuses what HTTP cannot carry (a header
     * name that is no token, a value with control characters): then the client gets 502 and the
     * worker's bug is logged, instead of a client left waiting.
     */
    private boolean answerFromWorker(WorkerSlot slot, Pending p, Runnable answer) {
        try {
            answer.run();
            return true;
        } catch (IllegalArgumentException e) {
            dispatcher.log(LogLevel.ERROR, name(), "worker {} answered request {} with an invalid response: {}",
                    slot.id, p.id, e.getMessage());
            finish(p, 502, "Invalid response from worker", null);
            return false;
        }
    }

    private void keptAlive(WorkerSlot slot, long id) {
        slot.stalledMillis = 0;
        Pending p = slot.find(id);
        if (p != null && !p.done && !p.streaming) {
            p.timer.cancel();
            p.timer = loop.schedule(timeoutMillis, () -> timedOut(p));
        }
    }

    private void streamStarted(WorkerSlot slot, Message.StreamStart m) {
        Pending p = slot.find(m.id());
        if (p == null || p.done || p.streaming) {
            return;
        }
        p.streaming = true;
        p.timer.cancel();
        HttpExchange ex = p.client.exchange();
        if (!answerFromWorker(slot, p, () -> ex.startStream(m.status(), m.headers()))) {
            endHeldByWorker(slot, p);
            return;
        }
        if (!ex.isOpen()) {
            return; // the client is gone: its onClose sends ClientGone
        }
        if (ex.method().equals("HEAD") || m.status() < 200 || m.status() == 204 || m.status() == 304) {
            // No body can follow: the engine has completed the answer, so the stream ends here.
            finish(p, 0, null, null);
            endHeldByWorker(slot, p);
            return;
        }
        ex.onWritable(() -> {
            if (p.flowPaused && !p.done && slot.find(p.id) == p && slot.channel != null && slot.channel.isOpen()) {
                p.flowPaused = false;
                slot.channel.send(new Message.StreamFlow(p.id, false));
            }
        });
    }

    private void streamChunk(WorkerSlot slot, Message.StreamChunk m) {
        Pending p = slot.find(m.id());
        if (p == null || p.done || !p.streaming) {
            return; // gone: dropped
        }
        HttpExchange ex = p.client.exchange();
        ex.sendChunk(m.data()); // over the engine's cap this drops the connection (onClose -> ClientGone)
        if (!p.flowPaused && !p.done && ex.isOpen() && ex.pendingOutputBytes() > dispatcher.streamPauseBytes()) {
            p.flowPaused = true;
            slot.channel.send(new Message.StreamFlow(p.id, true));
        }
    }

    /** The worker's handler returned without answering {@code id}: its slot is free for another request. */
    private void deferred(WorkerSlot slot, long id) {
        Pending p = slot.inFlight.remove(id);
        if (p == null) {
            return; // answered (or ended) before the report arrived
        }
        if (p.done) {
            // Timed out or abandoned while its handler ran: the worker can forget it now.
            slot.channel.send(new Message.ClientGone(id));
        } else {
            slot.deferred.put(id, p);
        }
        dispatchQueued();
    }

    // ------------------------------------------------------------------ control

    void sendFireAndForget(String method, String path, Object data) {
        fireAndForget.addLast(fireAndForgetRequest(method, path, data));
        dispatchQueued();
    }

    /**
     * Sends fire-and-forget work to every worker that is ready now, paused ones included, bypassing
     * the queue and the concurrency limit; returns how many were sent.
     */
    int broadcast(String method, String path, Object data) {
        Message.Request request = fireAndForgetRequest(method, path, data);
        int sent = 0;
        for (WorkerSlot slot : slots) {
            if (slot.state == WorkerSlot.State.READY && slot.channel != null && slot.channel.isOpen()) {
                slot.channel.send(request);
                sent++;
            }
        }
        return sent;
    }

    /** The requests of this pool answered by a stream that is still open, oldest first per worker. */
    List<PendingRequest> streams() {
        List<PendingRequest> list = new ArrayList<>();
        for (WorkerSlot slot : slots) {
            for (Map<Long, Pending> held : List.of(slot.inFlight, slot.deferred)) {
                for (Pending p : held.values()) {
                    if (p.streaming && !p.done) {
                        list.add(new PendingRequest(p.id, p.client, config));
                    }
                }
            }
        }
        return list;
    }

    /** Fire-and-forget work: {@code data} becomes a body as a handler's result would (JSON, text, bytes). */
    private static Message.Request fireAndForgetRequest(String method, String path, Object data) {
        ResponseEncoder.Encoded body = ResponseEncoder.encode(data);
        return new Message.Request(-1, method, path, "", body.headers(), body.body(), "", 0, false);
    }

    /** Sends {@code config} to every worker; an IllegalArgumentException (not sendable) leaves the last one in place. */
    void sendConfig(Map<String, ?> config) {
        Message.Config message = new Message.Config(new LinkedHashMap<>(config));
        for (WorkerSlot slot : slots) {
            if (slot.channel != null && slot.channel.isOpen()) {
                slot.channel.send(message);
            }
        }
        lastConfig = message.config();
    }

    int pendingCount() {
        return pendingCount;
    }

    /**
     * Ends every open stream cleanly (the terminating chunk) and tells its worker ({@code onDisconnect}):
     * a stream has no natural end a shutdown could wait for.
     */
    void endStreams() {
        for (WorkerSlot slot : slots) {
            endHeld(slot, 0, null, true);
        }
    }

    /** Answers everything queued or in flight with {@code status}. */
    void failAll(int status, String error) {
        failQueued(status, error);
        for (WorkerSlot slot : slots) {
            endHeld(slot, status, error, false);
        }
    }

    /** Asks every worker to stop; no restarts from now on. */
    void stop() {
        stopping = true;
        for (WorkerSlot slot : slots) {
            if (slot.channel != null && slot.channel.isOpen()) {
                slot.channel.send(new Message.Stop());
            }
            if (slot.state != WorkerSlot.State.DEAD) {
                slot.state = WorkerSlot.State.STOPPING;
            }
        }
    }

    /** Whether any worker process is still running. */
    boolean anyAlive() {
        for (WorkerSlot slot : slots) {
            if (slot.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Kills every worker process still running. */
    void killAll() {
        for (WorkerSlot slot : slots) {
            if (slot.process != null && slot.process.isAlive()) {
                slot.process.destroyForcibly();
            }
        }
    }

    PoolStatus status() {
        long now = System.nanoTime();
        List<PoolStatus.WorkerStatus> workers = new ArrayList<>(slots.length);
        int queued = 0;
        for (Pending p : queue) {
            if (!p.done) {
                queued++;
            }
        }
        for (WorkerSlot s : slots) {
            List<Long> current = new ArrayList<>(s.inFlight.keySet());
            double since = s.seen ? Math.round((now - s.lastSeenNanos) / 1e6) / 1000.0 : -1;
            workers.add(new PoolStatus.WorkerStatus(s.id, s.pid, s.isAlive(), s.state == WorkerSlot.State.READY,
                    s.paused, since, current, s.restarts));
        }
        return new PoolStatus(name(), isDegraded(), queued, pendingCount, workers);
    }
}
