package dev.uhttp.workers.worker.runtime;

import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.api.internal.Loggers;
import dev.uhttp.workers.api.internal.WorkerContext;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import dev.uhttp.workers.worker.encoding.ResponseEncoder;
import dev.uhttp.workers.worker.encoding.ResponseEncoder.Encoded;
import dev.uhttp.workers.worker.request.WorkerRequest;
import dev.uhttp.workers.worker.routing.RouteCollector;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker side of one channel: waits for {@code Init}, builds the user's worker, its handlers and
 * routes, calls {@code setup()}, then answers requests and control messages and sends heartbeats
 * until told to stop or the channel closes.
 *
 * <p>Threads: everything here runs on the loop thread, which calls {@link #run}. With concurrency 1,
 * handlers run there too (the reference's single-threaded semantics: a stuck handler stops heartbeats,
 * which is how the dispatcher notices). With concurrency N &gt; 1 they run on a fixed pool of N daemon
 * threads and their responses come back through the loop.
 *
 * <p>With a slow-request threshold or a stuck timeout, a daemon {@link HandlerWatchdog} thread looks
 * at the running handlers and sends their stacks straight to the channel (not through the loop, which
 * a handler may hold); {@code DumpStacks} is answered on the loop.
 *
 * <p>Requests answered later ({@code Worker.DEFERRED}, streams) leave the in-flight set when their
 * handler returns (so they count neither for heartbeats nor for the concurrency limit: the dispatcher
 * is told with {@code Deferred}) and stay in {@link #open} until answered, ended, or gone
 * ({@code ClientGone}, which calls {@code Worker.onDisconnect}). See {@link Reply} for back-pressure.
 */
public final class WorkerRuntime implements IpcChannel.Listener {
    /** How long {@link #run} waits for queued frames to be written before the process exits. */
    private static final long DRAIN_MILLIS = 2_000;
    private static final long DEFAULT_HEARTBEAT_MILLIS = 1_000;

    private final SelectorLoop loop;
    private final IpcChannel channel;
    private final StdoutCapture stdout;
    private final Outbox outbox;
    private final InFlightRequests inFlight = new InFlightRequests();
    /** Requests whose answer outlives their handler (deferred, streaming), by id. */
    private final Map<Long, Reply> open = new ConcurrentHashMap<>();
    private final Reply.Registry registry = new Reply.Registry() {
        public void open(Reply reply) {
            WorkerRuntime.this.open.put(reply.id(), reply);
        }

        public void closed(Reply reply) {
            WorkerRuntime.this.open.remove(reply.id(), reply);
        }
    };
    /** Streamed request bodies still arriving (loop thread only). */
    private final StreamedBodies bodies;
    private final long holdLimit = Long.getLong(Reply.HOLD_PROPERTY, Reply.DEFAULT_HOLD_BYTES);

    private ParentWatchdog watchdog;
    private Message.Init init;
    private Logger log;
    private Worker worker;
    private RequestProcessor processor;
    private ExecutorService pool;
    private SelectorLoop.Timer heartbeat;
    private boolean stopping;
    /** Whether a request started since the last heartbeat: an interval with one was not idle. */
    private boolean startedSinceTick;
    private Integer exitStatus;

    /**
     * @param stdout where {@code System.out} lines are captured (connected once the worker's name is known),
     *               or null
     */
    public WorkerRuntime(SelectorLoop loop, IpcChannel channel, StdoutCapture stdout) {
        this.loop = loop;
        this.channel = channel;
        this.stdout = stdout;
        this.outbox = new Outbox(loop, channel);
        this.bodies = new StreamedBodies(outbox);
    }

    /**
     * Runs the worker on the calling thread until it stops or its channel closes.
     *
     * @return the process exit status: 0 after {@code Stop} or a clean close, 1 after a failure
     */
    public int run() throws IOException {
        loop.bindToCurrentThread();
        channel.start(loop, this);
        watchdog = ParentWatchdog.start(DEFAULT_HEARTBEAT_MILLIS);
        while (exitStatus == null) {
            loop.runOnce(DEFAULT_HEARTBEAT_MILLIS);
        }
        // Let the last frames (the response to the last request, a CRITICAL record) reach the dispatcher.
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        while (channel.isOpen() && channel.pendingBytes() > 0 && System.nanoTime() - deadline < 0) {
            loop.runOnce(20);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        bodies.close();
        return exitStatus;
    }

    /** A record of the worker's loop: to the worker's log once there is one, else to stderr (the dispatcher's). */
    public void loopLog(LogLevel level, String logger, String message, Object... args) {
        String text = "worker " + logger + ": " + Logger.format(message, args);
        if (log != null) {
            log.log(level, "{}", text);
        } else { // no channel to the dispatcher yet: the platform logger writes to the inherited stderr
            System.getLogger("uhttp.workers.worker").log(Loggers.platformLevel(level), text);
        }
    }

    // ------------------------------------------------------------------ channel events

    @Override
    public void onMessage(Message message) {
        if (message instanceof Message.Request r) {
            if (admit(r)) {
                onRequest(r, null);
            }
        } else if (message instanceof Message.BodyChunk c) {
            bodies.add(c.id(), c.data());
        } else if (message instanceof Message.BodyEnd e) {
            bodyEnd(e.id());
        } else if (message instanceof Message.StreamedRequest r) {
            if (!admit(r.request())) {
                return;
            } else if (StreamedBodies.collects(r)) {
                bodies.collect(r); // its handler runs once the body is complete, as for a plain request
            } else {
                onRequest(r.request(), r);
            }
        } else if (message instanceof Message.ResponseCredit c) {
            outbox.responseCredit(c.id(), c.bytes());
        } else if (message instanceof Message.Init i) {
            if (init == null) {
                start(i);
            } else {
                log.warning("ignoring a second Init message");
            }
        } else if (message instanceof Message.Config c) {
            onConfig(c);
        } else if (message instanceof Message.Stop) {
            stopping = true;
            finishIfStopped();
        } else if (message instanceof Message.ClientGone g) {
            clientGone(g.id());
        } else if (message instanceof Message.DumpStacks) {
            outbox.send(new Message.Stacks(HandlerWatchdog.dump(inFlight, System.nanoTime())));
        } else if (message instanceof Message.StreamFlow f) {
            Reply reply = open.get(f.id());
            if (reply != null) {
                reply.flow(f.paused());
            }
        } else if (log != null) {
            log.warning("ignoring unexpected message {}", message.getClass().getSimpleName());
        }
    }

    @Override
    public void onClosed(IOException cause) {
        // The dispatcher is gone or dropped us: nobody will read a response, so exit now.
        finish(cause == null ? 0 : 1);
    }

    // ------------------------------------------------------------------ startup

    /** The worker's logger name: the pool's template with {cls}, {pool_name}, {worker_id} and {pid} filled in. */
    static String logName(Message.Init init) {
        String template = init.logName() == null || init.logName().isBlank() ? "{pool_name}[{worker_id}]" : init.logName();
        String cls = init.workerClass().substring(init.workerClass().lastIndexOf('.') + 1);
        cls = cls.substring(cls.lastIndexOf('$') + 1);
        return template.replace("{cls}", cls).replace("{pool_name}", init.poolName())
                .replace("{worker_id}", Integer.toString(init.workerId()))
                .replace("{pid}", Long.toString(ProcessHandle.current().pid()));
    }

    private void start(Message.Init init) {
        this.init = init;
        String name = logName(init);
        log = Loggers.create(name, LogLevel.ofValue(init.logLevel()), new ChannelLogSink(outbox, inFlight));
        outbox.log(log);
        if (stdout != null) {
            // Sent whatever the pool's level (no Logger threshold): print output is rare, and silently
            // losing it is worse. Without the request id prefix, as printed.
            stdout.connect(name + ".stdout", new ChannelLogSink(outbox, null));
        }
        long heartbeatMillis = init.heartbeatMillis() > 0 ? init.heartbeatMillis() : DEFAULT_HEARTBEAT_MILLIS;
        if (watchdog != null) {
            watchdog.interval(heartbeatMillis);
        }
        try {
            Map<String, Object> kwargs = init.kwargs() == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(init.kwargs()));
            RuntimeContext context = new RuntimeContext(init.workerId(), init.poolName(), kwargs, log, inFlight, outbox,
                    new UserChannels(loop, log));
            Class<?> type = WorkerClasses.load(init.workerClass());
            if (!Worker.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " does not extend " + Worker.class.getName());
            }
            worker = WorkerContext.construct(context, null, () -> (Worker) WorkerClasses.instantiate(type));
            List<Object> instances = new ArrayList<>();
            instances.add(worker);
            List<Class<? extends ApiHandler<?>>> handlers = worker.handlers();
            for (Class<? extends ApiHandler<?>> handler : handlers == null ? List.<Class<? extends ApiHandler<?>>>of() : handlers) {
                instances.add(WorkerContext.construct(context, worker, () -> WorkerClasses.instantiate(handler)));
            }
            RouteCollector routes = new RouteCollector().addAll(instances);
            processor = new RequestProcessor(worker, routes.table(), log);
            worker.setup();
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
            log.critical("worker {} failed to start: {}", init.workerClass(), String.valueOf(cause.getMessage()), cause);
            finish(1);
            return;
        }
        int concurrency = Math.max(1, init.concurrency());
        if (concurrency > 1) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(concurrency, r -> {
                Thread t = new Thread(r, name + "-handler-" + n.incrementAndGet());
                t.setDaemon(true); // never keeps the JVM alive: the runtime decides when to exit
                return t;
            });
        }
        HandlerWatchdog.start(name, inFlight, init.slowRequestMillis(), init.stuckMillis(), message -> {
            if (channel.isOpen()) {
                channel.send(message); // not through the loop: a handler may hold it
            }
        });
        WarmUp.await();
        WarmUp.collectStartupGarbage();
        outbox.send(new Message.Ready(init.workerId(), ProcessHandle.current().pid()));
        long period = heartbeatMillis;
        heartbeat = loop.schedule(period, () -> heartbeat(period));
    }

    // ------------------------------------------------------------------ requests

    /** Whether to handle a new request: not before Ready, and 503 once stopping. */
    private boolean admit(Message.Request r) {
        if (processor == null || exitStatus != null) {
            return false; // not started (or failed to): the dispatcher must wait for Ready
        }
        if (stopping) {
            answer(r.id(), 503, "Worker is stopping");
            return false;
        }
        return true;
    }

    private void answer(long id, int status, String error) {
        if (id >= 0) {
            Encoded e = ResponseEncoder.encode(Response.of(status, Map.of("error", error)));
            outbox.send(new Message.Response(id, e.status(), e.headers(), e.body()));
        }
    }

    /** The body of a streamed request is complete: a collected one's handler starts now. */
    private void bodyEnd(long id) {
        try {
            Message.Request whole = bodies.end(id);
            if (whole != null) {
                onRequest(whole, null);
            }
        } catch (IllegalStateException e) {
            log.error("request {}: {}", id, e.getMessage());
            answer(id, 400, e.getMessage());
            finishIfStopped();
        }
    }

    /** @param streamed the request's streamed form when its body follows in pieces, else null */
    private void onRequest(Message.Request r, Message.StreamedRequest streamed) {
        if (processor == null || exitStatus != null) {
            return;
        }
        WorkerRequest request = new WorkerRequest(r.id(), r.method(), r.path(), r.query(), r.headers(), r.body(),
                r.remoteHost(), r.remotePort(), r.secure());
        request.context(r.context());
        request.requestId(r.requestId());
        InFlight f = inFlight.begin(r.id(), r.requestId(), r.method(), r.path());
        ExecutorService runner = streamed == null ? pool : streamedBody(r, streamed, request, f);
        Reply reply = new Reply(request, f, registry, outbox, log, holdLimit);
        request.attach(reply);
        startedSinceTick = true;
        if (runner == null) {
            complete(f, reply, handle(f, request), null);
        } else {
            runner.execute(() -> {
                RequestProcessor.Outcome outcome = handle(f, request);
                // Encoded here, not on the loop: JSON serialisation (and onRequestError when it fails)
                // must not hold up heartbeats and the other handlers' responses.
                Encoded encoded = outcome.result() == Worker.DEFERRED || reply.state() != Reply.State.HANDLING
                        ? null : encode(f, request, outcome.result());
                loop.execute(() -> complete(f, reply, outcome, encoded));
            });
        }
    }

    /**
     * Sets up the body of a streamed request: its first piece, its credit (what the handler consumes goes
     * back as {@code BodyCredit}; receiving counts as progress). Returns where its handler runs: off the loop.
     */
    private ExecutorService streamedBody(Message.Request r, Message.StreamedRequest streamed, WorkerRequest request,
                                         InFlight f) {
        request.streamBody(bodies.reading(r, f), streamed.bufferLimit(), streamed.length());
        return pool != null ? pool : bodies.handlerThread(logName(init));
    }

    private RequestProcessor.Outcome handle(InFlight f, WorkerRequest request) {
        inFlight.bind(f);
        try {
            return processor.handle(request);
        } finally {
            inFlight.bind(null);
        }
    }

    /** Pool thread: encodes a handler's result (bound to its request, as onRequestError may run). */
    private Encoded encode(InFlight f, WorkerRequest request, Object result) {
        inFlight.bind(f);
        try {
            return processor.encode(request, result);
        } finally {
            inFlight.bind(null);
        }
    }

    /**
     * Loop thread: sends the response (or reports the deferral) and ends the handler's part.
     * {@code encoded}: the result encoded already, or null.
     */
    private void complete(InFlight f, Reply reply, RequestProcessor.Outcome outcome, Encoded encoded) {
        inFlight.end(f);
        if (outcome.result() != Worker.DEFERRED) {
            bodies.handlerReturned(f.id);
        }
        reply.handlerReturned(outcome.result(), outcome.failed(), encoded, processor::encode);
        finishIfStopped();
    }

    /** The dispatcher dropped request {@code id}: its client left, it timed out, or its stream was cut. */
    private void clientGone(long id) {
        outbox.gone(id);
        StreamedBodies.Gone body = bodies.gone(id);
        if (body == StreamedBodies.Gone.COLLECTED) {
            // Its handler never ran: an answer (unread) frees the worker's slot in the dispatcher.
            answer(id, 400, "client disconnected before the request body was complete");
            disconnected(id);
            finishIfStopped();
            return;
        }
        if (body == StreamedBodies.Gone.READ) {
            // Its handler is reading the body: the read failed at once, and the worker hears of it.
            Reply reply = open.get(id);
            if (reply != null) {
                reply.gone();
            }
            disconnected(id);
            return;
        }
        Reply reply = open.get(id);
        if (reply == null || !reply.gone() || worker == null) {
            return; // answered already, or its handler still runs (its result then goes unread)
        }
        disconnected(id);
    }

    private void disconnected(long id) {
        if (worker == null) {
            return;
        }
        try {
            worker.onDisconnect(id);
        } catch (Throwable t) {
            log.error("onDisconnect({}) failed", id, t);
        }
    }

    // ------------------------------------------------------------------ control

    private void onConfig(Message.Config c) {
        if (worker == null) {
            return;
        }
        try {
            worker.onConfig(c.config() == null ? Map.of() : c.config());
        } catch (Throwable t) {
            log.error("onConfig failed", t);
        }
    }

    private void heartbeat(long period) {
        if (exitStatus != null) {
            return;
        }
        outbox.send(new Message.Heartbeat(inFlight.busyIds(), inFlight.stalledMillis(System.nanoTime())));
        boolean idle = inFlight.isEmpty() && !startedSinceTick && !stopping;
        startedSinceTick = false;
        if (idle) {
            try {
                worker.onIdle();
            } catch (Throwable t) {
                log.error("onIdle failed", t);
            }
        }
        heartbeat = loop.schedule(period, () -> heartbeat(period));
    }

    private void finishIfStopped() {
        if (stopping && inFlight.isEmpty() && !bodies.collecting() && exitStatus == null) {
            if (worker != null) {
                try {
                    worker.teardown();
                } catch (Throwable t) {
                    log.error("teardown failed", t);
                }
            }
            finish(0);
        }
    }

    private void finish(int status) {
        if (exitStatus == null) {
            exitStatus = status;
        }
        if (heartbeat != null) {
            heartbeat.cancel();
        }
    }
}
