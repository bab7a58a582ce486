package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSE panel of the demo page in a real browser: the image's {@code workers-example --example sse},
 * driven through headless Chromium like {@link BrowserIT}. Subscribes with the panel's controls (the
 * page's {@code EventSource}), publishes from the page and from the test, and reads the events the
 * panel shows live: {@code open} with the worker holding the stream, then the published message, for
 * every subscription of the channel and for no other channel.
 *
 * <p>Needs chromium and chromedriver (Debian packages chromium and chromium-driver): without them the
 * class fails, or is skipped when the run opts out ({@link RequiredTool}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SseBrowserIT {
    static final Duration UI_TIMEOUT = WebDriverClient.UI_TIMEOUT;
    static final String EVENTS = "events";
    static final int WORKERS = 2;

    private final String channel = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    private ExampleProcess example;
    private HttpJson http;
    private URI base;
    private Path javaTmp;
    private WebDriverClient browser;
    @RegisterExtension
    static final RequiredTool CHROMIUM = WebDriverClient.CHROMIUM;
    @RegisterExtension
    static final RequiredTool CHROMEDRIVER = WebDriverClient.CHROMEDRIVER;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        // A private temporary directory, to check that the page's copy is removed on exit.
        env.put("JDK_JAVA_OPTIONS", "-Djava.io.tmpdir=" + javaTmp);
        example = ExampleProcess.start("sse-browser", List.of(Artifacts.image().resolve("bin/workers-example").toString(),
                "--example", "sse", "--port", "0"), env);
        base = example.awaitListening();
        http = new HttpJson(base);
        await("both event workers ready").atMost(ExampleRunChecks.READY_TIMEOUT).until(() -> eventWorkersReady(health()));
        example.rememberWorkerPids(ExampleRunChecks.workerPids(health()));
        browser = WebDriverClient.start(tmp.resolve("profile"), "chromedriver-sse.log");
        browser.open(base.resolve("/").toString());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (example != null) {
            example.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    JsonNode health() {
        HttpJson.Reply reply = http.get("/health");
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    static boolean eventWorkersReady(JsonNode health) {
        JsonNode pools = health.path("pools");
        if (pools.size() != 1 || !EVENTS.equals(pools.path(0).path("name").asText())) {
            return false;
        }
        JsonNode workers = pools.path(0).path("workers");
        if (workers.size() != WORKERS) {
            return false;
        }
        for (JsonNode w : workers) {
            if (!w.path("alive").asBoolean() || !w.path("ready").asBoolean() || w.path("pid").asLong() <= 0) {
                return false;
            }
        }
        return true;
    }

    /** One line of the panel's event log: {@code #<subscription> <event> <data>}. */
    record Shown(int subscription, String event, JsonNode data) {
    }

    /** The events the panel shows, oldest first. */
    List<Shown> shown() {
        String log = browser.text("#sse-log");
        List<Shown> events = new ArrayList<>();
        if (log == null) {
            return events;
        }
        for (String line : log.split("\n")) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3 && parts[0].matches("#\\d+")) {
                try {
                    events.add(0, new Shown(Integer.parseInt(parts[0].substring(1)), parts[1], HttpJson.JSON.readTree(parts[2])));
                } catch (IOException e) {
                    throw new AssertionError("not JSON in the event log: " + line, e);
                }
            }
        }
        return events;
    }

    List<Shown> shown(int subscription, String event) {
        return shown().stream().filter(e -> e.subscription() == subscription && e.event().equals(event)).toList();
    }

    /** Waits until subscription {@code n} showed a {@code message} event with {@code msg}. */
    void awaitMessage(int n, String msg) {
        await("#" + n + " shows message '" + msg + "'").atMost(UI_TIMEOUT)
                .until(() -> shown(n, "message").stream().anyMatch(e -> msg.equals(e.data().path("msg").asText())));
    }

    /** Subscribers of each channel, from the dispatcher's /health. */
    JsonNode subscribers() {
        return health().path("subscribers");
    }

    // ------------------------------------------------------------------ checks

    @Test
    @Order(1)
    void thePageShowsTheSsePanelWhenServedByTheSseExample() {
        assertTrue(browser.script("return location.pathname;").asText().endsWith("/static/index.html"));
        await("SSE panel shown").atMost(UI_TIMEOUT).until(() -> browser.text("#sse-panel") != null);
        assertEquals("no subscriptions", browser.text("#sse-subscriptions"));
        assertEquals("0", browser.attribute("#sse-log", "data-events"));
        // The live panel of the page shows the event pool.
        await("events pool shown").atMost(UI_TIMEOUT).until(() -> browser.text("#worker-events-1 .pid") != null);
    }

    @Test
    @Order(2)
    void subscribeShowsOpenThenAMessagePublishedFromThePage() {
        browser.type("#sse-channel", channel);
        browser.click("#sse-subscribe");
        await("#1 open").atMost(UI_TIMEOUT).until(() -> !shown(1, "open").isEmpty());
        JsonNode open = shown(1, "open").get(0).data();
        assertEquals("connected", open.path("status").asText(), open::toString);
        assertEquals(channel, open.path("channel").asText(), open::toString);
        assertTrue(open.path("pid").asLong() > 0, open::toString);
        int worker = open.path("worker").asInt(-1);
        assertTrue(worker >= 0 && worker < WORKERS, open::toString);
        await("subscription listed").atMost(UI_TIMEOUT)
                .until(() -> ("#1 " + channel + " (worker " + worker + ")").equals(browser.text("#sse-subscriptions")));

        // A second subscription to the same channel: both receive what is published, whichever worker holds them.
        browser.click("#sse-subscribe");
        await("#2 open").atMost(UI_TIMEOUT).until(() -> !shown(2, "open").isEmpty());
        assertEquals(channel, shown(2, "open").get(0).data().path("channel").asText());
        assertEquals(2, subscribers().path(channel).asInt(), () -> subscribers().toString());

        String msg = "hello from chromium " + UUID.randomUUID();
        browser.type("#sse-msg", msg);
        browser.click("#sse-publish");
        awaitMessage(1, msg);
        awaitMessage(2, msg);
        await("publish answer shown").atMost(UI_TIMEOUT)
                .until(() -> browser.text("#sse-published") != null && !browser.text("#sse-published").isEmpty());
        String published = browser.text("#sse-published");
        assertTrue(published.startsWith("200 "), published);
        JsonNode answer = readJson(published.substring(4));
        assertEquals(2, answer.path("published").asInt(), published);
        assertEquals(channel, answer.path("channel").asText(), published);
    }

    @Test
    @Order(3)
    void aMessagePublishedElsewhereShowsOnlyOnItsChannel() {
        String other = "not for " + channel;
        HttpJson.Reply elsewhere = http.post("/publish", HttpJson.json(Map.of("channel", channel + "-other", "msg", other)));
        assertEquals(200, elsewhere.status(), elsewhere::toString);
        assertEquals(0, elsewhere.json().path("published").asInt(), elsewhere::toString);
        // Published after the other one: once it shows, each worker has handled both (in order).
        String msg = "from the test " + UUID.randomUUID();
        HttpJson.Reply reply = http.post("/publish", HttpJson.json(Map.of("channel", channel, "msg", msg)));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(2, reply.json().path("published").asInt(), reply::toString);
        awaitMessage(1, msg);
        awaitMessage(2, msg);
        assertFalse(shown().stream().anyMatch(e -> other.equals(e.data().path("msg").asText())), () -> shown().toString());
        // Every event shown belongs to one of the two subscriptions.
        assertTrue(shown().stream().allMatch(e -> e.subscription() == 1 || e.subscription() == 2), () -> shown().toString());
    }

    @Test
    @Order(4)
    void closeAllEndsTheStreams() {
        browser.click("#sse-close");
        assertEquals("no subscriptions", browser.text("#sse-subscriptions"));
        await("the dispatcher sees the streams closed").atMost(UI_TIMEOUT)
                .until(() -> subscribers().path(channel).asInt(0) == 0);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void stopsWithExitStatusZeroOnSigtermAndThePanelShowsAFailedPublish() throws IOException {
        List<Long> pids = ExampleRunChecks.workerPids(health());
        example.rememberWorkerPids(pids);
        assertEquals(WORKERS, pids.size());
        assertEquals(0, example.terminate(), example::diagnostics);
        await("worker JVMs gone").atMost(Duration.ofSeconds(10)).until(() ->
                pids.stream().noneMatch(pid -> ProcessHandle.of(pid).filter(ExampleProcess::isWorkerJvm).isPresent()));
        try (Stream<Path> left = Files.list(javaTmp)) {
            List<Path> ours = left.filter(p -> p.getFileName().toString().startsWith("workers-sse-")).toList();
            assertTrue(ours.isEmpty(), () -> "left behind: " + ours);
        }
        // The page is still open: a publish now says it failed instead of showing the last answer.
        browser.click("#sse-publish");
        await("publish failure shown").atMost(UI_TIMEOUT)
                .until(() -> String.valueOf(browser.text("#sse-published")).startsWith("request failed"));
    }

    private static JsonNode readJson(String text) {
        try {
            JsonNode node = HttpJson.JSON.readTree(text);
            assertNotNull(node, text);
            return node;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
