package dev.uhttp.workers.examples.sse;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event pool's worker (the reference's {@code sse_workers}): holds Server-Sent Events subscribers
 * and delivers to them what the dispatcher fans out.
 *
 * <ul>
 *   <li>{@code GET /events?channel=NAME} (default channel {@code general}): opens a stream, sends an
 *       {@code open} event {@code {"status":"connected","channel":...,"worker":...,"pid":...}} and keeps
 *       the request as a subscriber;</li>
 *   <li>{@code POST /publish {"channel":...,"msg":...}}: sent to every worker of the pool by the
 *       dispatcher ({@link SseDispatcher#publish}, fire-and-forget); sends a {@code message} event
 *       {@code {"msg":...}} to this worker's subscribers of that channel;</li>
 *   <li>every {@code onIdle} (heartbeat interval without requests): a {@code ping} event to every
 *       subscriber, which also keeps proxies from closing idle streams;</li>
 *   <li>at {@code max_subscribers} (pool kwarg, default 100) streams the worker {@link #pause()}s, so the
 *       dispatcher sends new subscribers to the other worker; it {@link #resume()}s when one leaves.</li>
 * </ul>
 *
 * <p>Everything runs on the worker's loop thread (concurrency 1), so the subscriber map needs no locks.
 */
public class EventWorker extends Worker {
    /** The pool kwarg with the most streams one worker holds before it pauses. */
    public static final String MAX_SUBSCRIBERS = "max_subscribers";
    /** The channel of {@code /events} without {@code ?channel=}. */
    public static final String DEFAULT_CHANNEL = "general";

    private final Map<Long, Subscriber> subscribers = new LinkedHashMap<>();
    private int maxSubscribers;

    private record Subscriber(Request request, String channel) {
    }

    @Override
    public void setup() {
        Object max = kwargs().getOrDefault(MAX_SUBSCRIBERS, 100);
        maxSubscribers = max instanceof Number n ? n.intValue() : Integer.parseInt(max.toString());
        if (maxSubscribers < 1) {
            throw new IllegalArgumentException(MAX_SUBSCRIBERS + " must be at least 1, got " + max);
        }
    }

    @Api(value = "/events", methods = "GET")
    public Object subscribe(Request request) {
        String channel = channel(request.queryParam("channel"));
        if (subscribers.size() >= maxSubscribers) {
            // Only when a request was already on its way as the pause took effect.
            return Response.of(503, Map.of("error", "this worker is full, try again")).header("Retry-After", "1");
        }
        request.responseStream();
        request.sendEvent(Map.of("status", "connected", "channel", channel,
                "worker", workerId(), "pid", ProcessHandle.current().pid()), "open");
        subscribers.put(request.id(), new Subscriber(request, channel));
        log.info("subscriber {} joined channel '{}' ({} of {} on this worker)", request.id(), channel,
                subscribers.size(), maxSubscribers);
        if (subscribers.size() >= maxSubscribers && !isPaused()) {
            log.info("{} subscribers: pausing (no new requests until one leaves)", subscribers.size());
            pause();
        }
        return DEFERRED;
    }

    @Api(value = "/publish", methods = "POST")
    public Object publish(Request request) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = request.json(Map.class);
        String channel = channel(body == null ? null : (String) body.get("channel"));
        Object msg = body == null ? null : body.get("msg");
        int delivered = 0;
        for (Subscriber s : subscribers.values()) {
            if (s.channel().equals(channel) && s.request().sendEvent(Map.of("msg", msg == null ? "" : msg), "message")) {
                delivered++;
            }
        }
        log.debug("published to {} subscriber(s) of '{}'", delivered, channel);
        return Map.of("delivered", delivered, "channel", channel);
    }

    @Override
    public void onIdle() {
        if (subscribers.isEmpty()) {
            return;
        }
        Map<String, Object> ping = Map.of("time", System.currentTimeMillis(), "worker", workerId());
        for (Subscriber s : subscribers.values()) {
            s.request().sendEvent(ping, "ping");
        }
    }

    @Override
    public void onDisconnect(long requestId) {
        Subscriber gone = subscribers.remove(requestId);
        if (gone == null) {
            return;
        }
        log.info("subscriber {} left channel '{}' ({} left on this worker)", requestId, gone.channel(), subscribers.size());
        if (isPaused() && subscribers.size() < maxSubscribers) {
            log.info("{} subscribers: resuming", subscribers.size());
            resume();
        }
    }

    static String channel(String name) {
        return name == null || name.isBlank() ? DEFAULT_CHANNEL : name;
    }
}
