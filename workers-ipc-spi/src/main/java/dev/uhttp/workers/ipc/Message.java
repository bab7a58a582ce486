package dev.uhttp.workers.ipc;

import java.util.Map;

/**
 * The messages exchanged between the dispatcher and a worker. Headers travel as flat arrays
 * {@code [name0, value0, name1, value1, ...]}; bodies as MessagePack {@code bin}, never re-encoded.
 */
public sealed interface Message {

    /** A message about one request: {@link #id()} is the request's id ({@code -1}: fire-and-forget). */
    sealed interface AboutRequest extends Message {
        long id();
    }

    /** A message that carries a body, the last element of its frame (MessagePack {@code bin}). */
    sealed interface HasBody extends Message {
        byte[] body();
    }

    // ---- dispatcher -> worker ----

    /**
     * First message to a worker: who it is and how to behave.
     *
     * @param slowRequestMillis a handler running longer sends its stack ({@link SlowRequest}); 0: never
     * @param stuckMillis       the pool's stuck timeout: a handler stalled for nearly as long sends the
     *                          stacks of every handler ({@link Stacks}) before it is killed; 0: never
     */
    record Init(String poolName, int workerId, String workerClass, Map<String, Object> kwargs,
                int logLevel, long heartbeatMillis, int concurrency, String logName,
                long slowRequestMillis, long stuckMillis) implements Message {

        /** Without slow-request or stuck stacks. */
        public Init(String poolName, int workerId, String workerClass, Map<String, Object> kwargs,
                    int logLevel, long heartbeatMillis, int concurrency, String logName) {
            this(poolName, workerId, workerClass, kwargs, logLevel, heartbeatMillis, concurrency, logName, 0, 0);
        }
    }

    /**
     * An HTTP request to handle; {@code id == -1} is fire-and-forget (no response expected).
     * {@code requestId} is its {@code X-Request-Id} (empty for fire-and-forget work).
     */
    record Request(long id, String method, String path, String query, String[] headers, byte[] body,
                   String remoteHost, int remotePort, boolean secure, Object context, String requestId)
            implements AboutRequest, HasBody {

        /** Without a request id. */
        public Request(long id, String method, String path, String query, String[] headers, byte[] body,
                       String remoteHost, int remotePort, boolean secure, Object context) {
            this(id, method, path, query, headers, body, remoteHost, remotePort, secure, context, "");
        }

        /** Without a context (fire-and-forget work, tests). */
        public Request(long id, String method, String path, String query, String[] headers, byte[] body,
                       String remoteHost, int remotePort, boolean secure) {
            this(id, method, path, query, headers, body, remoteHost, remotePort, secure, null, "");
        }
    }

    /** Runtime configuration for {@code Worker.onConfig}. */
    record Config(Map<String, Object> config) implements Message {
    }

    /** Send the stacks of every handler thread ({@link Stacks}): the worker is about to be killed as stuck. */
    record DumpStacks() implements Message {
    }

    /** Finish in-flight work and exit. */
    record Stop() implements Message {
    }

    /** The client of request {@code id} went away (deferred and streaming requests). */
    record ClientGone(long id) implements AboutRequest {
    }

    /** Flow control for the stream of request {@code id}: stop ({@code paused}) or go on sending. */
    record StreamFlow(long id, boolean paused) implements AboutRequest {
    }

    /**
     * A request whose body follows in pieces ({@link BodyChunk}, then {@link BodyEnd}): the dispatcher
     * sends at most the worker's window ahead of what the worker has consumed ({@link BodyCredit}).
     * {@code request.body()} holds the first piece (may be empty).
     *
     * @param length      the announced length ({@code Content-Length}), or {@code -1} (chunked)
     * @param bufferLimit the most a handler may read into memory with {@code body()}/{@code json()}
     */
    record StreamedRequest(Request request, long length, long bufferLimit) implements AboutRequest, HasBody {
        @Override
        public long id() {
            return request.id();
        }

        @Override
        public byte[] body() {
            return request.body();
        }
    }

    /** The next piece of the streamed body of request {@code id}. */
    record BodyChunk(long id, byte[] data) implements AboutRequest, HasBody {
        /** The piece's bytes ({@link #data()}). */
        @Override
        public byte[] body() {
            return data;
        }
    }

    /** The streamed body of request {@code id} is complete. */
    record BodyEnd(long id) implements AboutRequest {
    }

    /** The client of request {@code id} read {@code bytes} more of its {@link ResponseStart} answer: send as many more. */
    record ResponseCredit(long id, long bytes) implements AboutRequest {
    }

    // ---- worker -> dispatcher ----

    /**
     * A complete answer too large for one frame's worth of dispatcher memory: its status, headers and
     * body length now ({@code Content-Length}), its body in {@link StreamChunk}s as the dispatcher's
     * {@link ResponseCredit}s allow, then {@link StreamEnd}. The request no longer occupies one of the
     * worker's concurrency slots.
     */
    record ResponseStart(long id, int status, String[] headers, long length) implements AboutRequest {
    }

    /** The handler of request {@code id} consumed {@code bytes} more of its streamed body: send as many more. */
    record BodyCredit(long id, long bytes) implements AboutRequest {
    }

    /** {@code setup()} succeeded; the worker takes requests. */
    record Ready(int workerId, long pid) implements Message {
    }

    /** The complete response to request {@code id}. */
    record Response(long id, int status, String[] headers, byte[] body) implements AboutRequest, HasBody {
    }

    /**
     * Sent every heartbeat interval by the worker's loop. {@code busy} lists the requests being
     * handled; {@code stalledMillis} is the longest time any of them has gone without progress
     * (start or {@code keepAlive}).
     */
    record Heartbeat(long[] busy, long stalledMillis) implements Message {
    }

    /** Request {@code id} is still being worked on: reset its timeout and stuck clock. */
    record KeepAlive(long id) implements AboutRequest {
    }

    /** A log record; {@code level} as {@code LogLevel.value()}. */
    record Log(int level, String logger, String message) implements Message {
    }

    /** The worker asks for no new requests ({@code paused}) or for requests again. */
    record Pause(boolean paused) implements Message {
    }

    /** Start of a streamed response to request {@code id}: status and headers, body follows in chunks. */
    record StreamStart(long id, int status, String[] headers) implements AboutRequest {
    }

    /** A piece of a streamed response body, written as given (the worker formats SSE events). */
    record StreamChunk(long id, byte[] data) implements AboutRequest, HasBody {
        /** The chunk's bytes ({@link #data()}). */
        @Override
        public byte[] body() {
            return data;
        }
    }

    /** End of the streamed response to request {@code id}. */
    record StreamEnd(long id) implements AboutRequest {
    }

    /**
     * The handler of request {@code id} returned without answering it (a deferred or streaming
     * answer follows later): the request no longer occupies one of the worker's concurrency slots,
     * but stays open (and, unless streaming, under its timeout) until a {@code Response} or
     * {@code StreamEnd} for it, or until the dispatcher sends {@code ClientGone}.
     */
    record Deferred(long id) implements AboutRequest {
    }

    /**
     * Fire-and-forget work a worker hands to whichever pool serves {@code path} (the reference's
     * {@code forward}); {@code headers} and {@code body} as a handler's result would be encoded.
     */
    record Forward(String path, String[] headers, byte[] body) implements HasBody {
    }

    /**
     * The answer to request {@code id} is the file at {@code path} (absolute, as the worker named it),
     * which the dispatcher sends itself, zero-copy, if it lies under one of the pool's file roots (the
     * reference's X-Accel-Redirect). {@code headers} as for {@link Response} (a {@code Content-Type}
     * there wins over the one the file name implies); no bytes of the file cross the channel.
     */
    record FileResponse(long id, String path, String[] headers) implements AboutRequest {
    }

    /**
     * The stacks of every thread running a handler, as text (each with its request), answering
     * {@link DumpStacks} or sent unasked when a handler nears the stuck timeout.
     */
    record Stacks(String text) implements Message {
    }

    /**
     * The handler of request {@code id} has run for {@code elapsedMillis}, longer than the pool's
     * slow-request threshold: the stack of its thread then (PHP-FPM's slowlog). Sent once per request.
     */
    record SlowRequest(long id, String requestId, String method, String path, long elapsedMillis, String stack)
            implements AboutRequest {
    }
}
