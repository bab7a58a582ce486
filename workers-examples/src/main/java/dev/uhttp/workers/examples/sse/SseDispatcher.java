package dev.uhttp.workers.examples.sse;

import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.Dispatcher;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.PoolHandle;
import dev.uhttp.workers.dispatcher.LoopRoute;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SSE example's dispatcher. Subscribers ({@code GET /events}) are spread over the event pool's
 * workers, so a publish must reach every one of them: {@link #publish} is a sync handler that fans the
 * message out with {@link PoolHandle#broadcast} (one fire-and-forget request per worker, paused ones
 * included) and answers at once with the number of subscribers of that channel, which the dispatcher
 * knows from the pool's open streams ({@link PoolHandle#streams()}) without asking the workers.
 *
 * <ul>
 *   <li>{@code POST /publish {"channel":...,"msg":...}}: {@code {"published": <subscribers>, "channel": ...}};</li>
 *   <li>{@code GET /health}: status, the pool and its workers, subscribers per channel;</li>
 *   <li>{@code GET /}: 302 to the demo page (its SSE panel subscribes and shows events live).</li>
 * </ul>
 */
public class SseDispatcher extends Dispatcher {
    /** The event pool's name. */
    public static final String EVENTS = "events";
    /** The stream route of the event pool. */
    public static final String EVENTS_PATH = "/events";

    private Runnable onListening = () -> { };

    /** Runs {@code action} once the dispatcher listens (on its thread, before the first request). */
    public SseDispatcher onListening(Runnable action) {
        this.onListening = action;
        return this;
    }

    @Override
    protected void onStart() {
        onListening.run();
    }

    @LoopRoute(value = "/publish", methods = "POST")
    public void publish(Exchange client) {
        Object body = client.json();
        if (!(body instanceof Map<?, ?> map) || !(map.get("channel") instanceof String channel) || channel.isBlank()
                || !map.containsKey("msg")) {
            client.respond(400, Map.of("error", "expected {\"channel\": \"...\", \"msg\": ...}"));
            return;
        }
        PoolHandle events = pool(EVENTS);
        events.broadcast("POST", "/publish", Map.of("channel", channel, "msg", map.get("msg") == null ? "" : map.get("msg")));
        client.respond(Map.of("published", subscribers(events).getOrDefault(channel, 0), "channel", channel));
    }

    @LoopRoute(value = "/health", methods = "GET")
    public void health(Exchange client) {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("example", "sse");
        health.put("subscribers", subscribers(pool(EVENTS)));
        health.put("pools", status().pools());
        client.respond(health);
    }

    @LoopRoute(value = "/", methods = "GET")
    public void index(Exchange client) {
        client.respondRedirect("/static/index.html");
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
