package dev.uhttp.workers.examples.sse;

import dev.uhttp.workers.dispatcher.DispatcherBuilder;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.PoolRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SSE example's loop routes. Subscribers ({@code GET /events}) are spread over the event pool's
 * workers, so a publish must reach every one of them: {@code POST /publish} is a loop route that fans the
 * message out with {@link PoolHandle#broadcast} (one fire-and-forget request per worker, paused ones
 * included) and answers at once with the number of subscribers of that channel, which the dispatcher
 * knows from the pool's open streams ({@link PoolHandle#streams()}) without asking the workers. With
 * {@code --redis}, the broadcast also reaches the event pool of every other node (the dispatcher's cluster
 * bus); the count is still this node's subscribers.
 *
 * <ul>
 *   <li>{@code POST /publish {"channel":...,"msg":...}}: {@code {"published": <subscribers>, "channel": ...}};</li>
 *   <li>{@code GET /health}: status, the pool and its workers, subscribers per channel;</li>
 *   <li>{@code GET /}: 302 to the demo page (its SSE panel subscribes and shows events live).</li>
 * </ul>
 */
public final class SseDispatcher {
    /** The event pool's name. */
    public static final String EVENTS = "events";
    /** The stream route of the event pool. */
    public static final String EVENTS_PATH = "/events";

    private SseDispatcher() {
    }

    /** Adds the loop routes to {@code builder}. */
    public static DispatcherBuilder routes(DispatcherBuilder builder) {
        return builder.post("/publish", SseDispatcher::publish)
                .get("/health", SseDispatcher::health)
                .get("/", ex -> ex.respondRedirect("/static/index.html"));
    }

    static void publish(Exchange ex) {
        Object body = ex.json();
        if (!(body instanceof Map<?, ?> map) || !(map.get("channel") instanceof String channel) || channel.isBlank()
                || !map.containsKey("msg")) {
            ex.respond(400, Map.of("error", "expected {\"channel\": \"...\", \"msg\": ...}"));
            return;
        }
        PoolHandle events = ex.dispatcher().pool(EVENTS);
        events.broadcast("POST", "/publish", Map.of("channel", channel, "msg", map.get("msg") == null ? "" : map.get("msg")));
        ex.respond(Map.of("published", subscribers(events).getOrDefault(channel, 0), "channel", channel));
    }

    static void health(Exchange ex) {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("example", "sse");
        health.put("node", ex.dispatcher().nodeName());
        health.put("subscribers", subscribers(ex.dispatcher().pool(EVENTS)));
        health.put("pools", ex.dispatcher().status().pools());
        ex.respond(health);
    }

    /** Open {@code /events} streams of {@code pool} by channel. */
    static Map<String, Integer> subscribers(PoolHandle pool) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (PoolRequest stream : pool.streams()) {
            if (stream.exchange().path().equals(EVENTS_PATH)) {
                count.merge(EventWorker.channel(stream.exchange().queryParam("channel")), 1, Integer::sum);
            }
        }
        return count;
    }
}
