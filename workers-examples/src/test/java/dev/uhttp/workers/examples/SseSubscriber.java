package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An open {@code GET /events?channel=...} stream of the SSE example: its {@code data:} lines as they come
 * (with the time each arrived), read on a thread of its own until {@link #close()}.
 */
final class SseSubscriber implements AutoCloseable {
    /** One {@code data:} line and when it arrived ({@link System#nanoTime()}). */
    record Event(String data, long nanos) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;

    private SseSubscriber(InputStream body, String name) {
        this.body = body;
        this.reader = new Thread(this::read, "sse-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Subscribes to {@code channel} on {@code base} and waits for the stream's {@code open} event. */
    static SseSubscriber open(URI base, String channel) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/events?channel=" + channel)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("subscribe on " + base + ": " + response.statusCode());
        }
        SseSubscriber s = new SseSubscriber(response.body(), base.getPort() + "-" + channel);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.count("\"connected\"") == 1);
        return s;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    events.add(new Event(line.substring(5).trim(), System.nanoTime()));
                }
            }
        } catch (IOException e) {
            // closed
        }
        events.add(new Event("<end>", System.nanoTime()));
    }

    /** Events whose data contains {@code text}. */
    long count(String text) {
        return events.stream().filter(e -> e.data().contains(text)).count();
    }

    /** When the first event containing {@code text} arrived, or -1. */
    long arrival(String text) {
        return events.stream().filter(e -> e.data().contains(text)).mapToLong(Event::nanos).findFirst().orElse(-1);
    }

    /** Whether the stream is still open. */
    boolean isOpen() {
        return count("<end>") == 0;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
