package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Worker classes for the deferred, streaming, flow-control and registered-channel tests. */
public final class StreamWorkers {
    private StreamWorkers() {
    }

    /** Deferred answers, streams, disconnects, a registered pipe; one per JVM, concurrency 1. */
    public static class StreamWorker extends Worker {
        private final List<Waiter> waiters = new ArrayList<>();
        private final Map<Long, Request> held = new ConcurrentHashMap<>();
        private final List<Long> disconnected = new CopyOnWriteArrayList<>();
        private final Deque<Request> pipeWaiters = new ArrayDeque<>();
        private final StringBuilder pipeText = new StringBuilder();
        private Pipe pipe;

        private record Waiter(Request request, int[] ticksLeft, boolean keepAlive) {
        }

        @Override
        public void setup() throws IOException {
            pipe = Pipe.open();
            registerReader(pipe.source(), source -> {
                ByteBuffer buf = ByteBuffer.allocate(256);
                try {
                    int n;
                    while ((n = source.read(buf)) > 0) {
                        pipeText.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
                        buf.clear();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                int nl;
                while ((nl = pipeText.indexOf("\n")) >= 0) {
                    String line = pipeText.substring(0, nl);
                    pipeText.delete(0, nl + 1);
                    Request waiting = pipeWaiters.poll();
                    if (waiting != null) {
                        waiting.respond(Map.of("read", line, "from", "registered channel"));
                    }
                }
            });
        }

        @Api("/s/later/idle")
        public Object laterFromIdle(Request request) {
            waiters.add(new Waiter(request, new int[] {Integer.parseInt(request.queryParam("ticks"))}, false));
            return DEFERRED;
        }

        @Api("/s/later/kept")
        public Object laterKeptAlive(Request request) {
            waiters.add(new Waiter(request, new int[] {Integer.parseInt(request.queryParam("ticks"))}, true));
            return DEFERRED;
        }

        @Api("/s/later/never")
        public Object never(Request request) {
            held.put(request.id(), request);
            return DEFERRED;
        }

        @Api("/s/later/thread")
        public Object laterFromThread(Request request) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                request.respond(201, Map.of("answered", "thread", "thread", Thread.currentThread().getName()));
            }, "answering-thread");
            t.start();
            return DEFERRED;
        }

        @Api("/s/twice")
        public Object twice(Request request) {
            request.respond(Map.of("n", 1));
            request.respond(Map.of("n", 2));
            return DEFERRED;
        }

        @Api("/s/ping")
        public Object ping(Request request) {
            return Map.of("pong", true);
        }

        @Api("/s/sse")
        public Object sse(Request request) {
            request.responseStream();
            request.sendEvent("hello");
            request.sendEvent(Map.of("a", 1), "update", "7", 1500);
            request.sendEvent("line1\nline2\r\nline3", "multi");
            request.sendComment("ping");
            request.sendEvent(List.of(1, "x"));
            request.responseStreamEnd();
            return DEFERRED;
        }

        @Api("/s/ndjson")
        public Object ndjson(Request request) {
            request.responseNdjson(Map.of("X-Test", "nd"), List.of());
            request.sendNdjson(Map.of("prime", 2));
            request.sendNdjson("line\nbreak");
            request.sendNdjson(List.of(1, 2));
            request.sendNdjson(null);
            request.responseStreamEnd();
            return DEFERRED;
        }

        @Api("/s/chunks")
        public Object chunks(Request request) {
            request.responseStream("text/plain; charset=UTF-8", Map.of("X-Test", "1"), List.of(Cookie.of("a", "b")));
            request.sendChunk("hello ");
            request.sendChunk("wörld".getBytes(StandardCharsets.UTF_8));
            request.sendChunk(new byte[0]); // ignored: an empty chunk would end the body
            request.responseStreamEnd();
            return DEFERRED;
        }

        @Api("/s/hold")
        public Object hold(Request request) {
            request.responseStream();
            request.sendEvent(Map.of("id", request.id()), "open");
            held.put(request.id(), request);
            return DEFERRED;
        }

        @Api("/s/emit/{id:int}")
        public Object emit(Request request) {
            Request target = held.get((long) request.intParam("id"));
            boolean sent = target != null && target.sendEvent("late");
            return Map.of("sent", sent, "open", target != null && target.isOpen());
        }

        @Api("/s/state")
        public Object state(Request request) {
            return Map.of("disconnected", disconnected, "pid", ProcessHandle.current().pid());
        }

        /** An NDJSON stream held open: its first line names the request, for the disconnect test. */
        @Api("/s/ndhold")
        public Object ndhold(Request request) {
            request.responseNdjson();
            request.sendNdjson(Map.of("id", request.id()));
            held.put(request.id(), request);
            return DEFERRED;
        }

        /** NDJSON lines as fast as the stream takes them, until the dispatcher drops it. */
        @Api("/s/ndflood")
        public Object ndflood(Request request) {
            request.responseNdjson();
            String pad = "x".repeat(8 * 1024);
            Thread t = new Thread(() -> {
                long n = 0;
                while (n < 100_000 && request.sendNdjson(Map.of("n", n, "pad", pad))) {
                    n++;
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "ndflood");
            t.setDaemon(true);
            t.start();
            return DEFERRED;
        }

        @Api("/s/flood")
        public Object flood(Request request) {
            request.responseStream("application/octet-stream", Map.of(), List.of());
            byte[] chunk = new byte[16 * 1024];
            Thread t = new Thread(() -> {
                long sent = 0;
                // Until the dispatcher drops the stream (sendChunk false); 512 MiB as a safety stop.
                while (sent < (512L << 20) && request.sendChunk(chunk)) {
                    sent += chunk.length;
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "flood");
            t.setDaemon(true);
            t.start();
            return DEFERRED;
        }

        @Api("/s/pipe")
        public Object pipe(Request request) throws IOException {
            pipeWaiters.add(request);
            pipe.sink().write(ByteBuffer.wrap((request.queryParam("msg") + "\n").getBytes(StandardCharsets.UTF_8)));
            return DEFERRED;
        }

        @Override
        public void onIdle() {
            for (var it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.keepAlive()) {
                    w.request().keepAlive();
                }
                if (--w.ticksLeft()[0] <= 0) {
                    it.remove();
                    w.request().respond(Map.of("answered", "idle", "keptAlive", w.keepAlive()));
                }
            }
        }

        @Override
        public void onDisconnect(long requestId) {
            disconnected.add(requestId);
        }
    }

    /** Two of these: one pauses, the other serves. */
    public static class PairWorker extends Worker {
        @Api("/pair/pid")
        public Object pid(Request request) {
            return Map.of("pid", ProcessHandle.current().pid(), "worker", workerId());
        }

        @Api("/pair/pause")
        public Object pauseMe(Request request) {
            pause();
            return Map.of("pid", ProcessHandle.current().pid(), "paused", isPaused());
        }

        @Api("/pair/resume")
        public Object resumeMe(Request request) {
            resume();
            return null;
        }
    }
}
