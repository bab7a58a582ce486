package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A minimal W3C WebDriver client for chromedriver: starts it on a free port, opens one headless
 * Chromium session, and offers the few commands the browser test needs. No Selenium: plain JSON over
 * {@link HttpClient}.
 */
final class WebDriverClient implements AutoCloseable {
    /** The browser; a test class registers it and {@link #CHROMEDRIVER} ({@code @RegisterExtension}). */
    static final RequiredTool CHROMIUM = RequiredTool.of("chromium", "chromium");
    /** The WebDriver server. */
    static final RequiredTool CHROMEDRIVER = RequiredTool.of("chromedriver", "chromium-driver");
    /** How long a test waits for the page to show something. */
    static final Duration UI_TIMEOUT = Duration.ofSeconds(30);

    /** The W3C key of an element reference. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Process driver;
    private final URI endpoint;
    private String session;

    private WebDriverClient(Process driver, URI endpoint) {
        this.driver = driver;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@link #CHROMEDRIVER} and a headless {@link #CHROMIUM} session with a fresh profile in
     * {@code profile}; chromedriver logs to {@code <examples.logs>/<logName>}.
     */
    static WebDriverClient start(Path profile, String logName) throws IOException {
        Path logs = Path.of(System.getProperty("examples.logs", "target/it-logs"));
        return start(CHROMEDRIVER.path(), CHROMIUM.path(), profile, logs.resolve(logName));
    }

    /** Starts {@code chromedriver} and a headless {@code chromium} session with a fresh profile in {@code profile}. */
    static WebDriverClient start(Path chromedriver, Path chromium, Path profile, Path log) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--log-path=" + log)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".out").toFile()))
                .start();
        WebDriverClient client = new WebDriverClient(p, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            await("chromedriver ready").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> !p.isAlive() || client.call("GET", "status", null).path("ready").asBoolean());
            if (!p.isAlive()) {
                throw new IllegalStateException("chromedriver exited with status " + p.exitValue() + ", see " + log);
            }
            Map<String, Object> chromeOptions = Map.of(
                    "binary", chromium.toString(),
                    "args", List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--window-size=1280,1024", "--user-data-dir=" + profile));
            JsonNode created = client.call("POST", "session", Map.of("capabilities",
                    Map.of("alwaysMatch", Map.of("browserName", "chrome", "goog:chromeOptions", chromeOptions))));
            client.session = created.path("sessionId").asText();
            return client;
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** Navigates to {@code url} and waits for the page to load. */
    void open(String url) {
        call("POST", "session/" + session + "/url", Map.of("url", url));
    }

    /** The element for a CSS selector (fails if none). */
    String find(String css) {
        JsonNode e = call("POST", "session/" + session + "/element", Map.of("using", "css selector", "value", css));
        return e.path(ELEMENT).asText();
    }

    void click(String css) {
        call("POST", "session/" + session + "/element/" + find(css) + "/click", Map.of());
    }

    /** Replaces the value of an input with {@code text}, as typed. */
    void type(String css, String text) {
        String element = find(css);
        call("POST", "session/" + session + "/element/" + element + "/clear", Map.of());
        call("POST", "session/" + session + "/element/" + element + "/value", Map.of("text", text));
    }

    /** Runs {@code script} (a function body; {@code arguments[i]} are {@code args}) and returns its JSON result. */
    JsonNode script(String script, Object... args) {
        return call("POST", "session/" + session + "/execute/sync", Map.of("script", script, "args", Arrays.asList(args)));
    }

    /** The text content of the element for {@code css}, or null when there is none. */
    String text(String css) {
        JsonNode r = script("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
        return r.isNull() ? null : r.asText();
    }

    /** The value of attribute {@code name} of the element for {@code css}, or null. */
    String attribute(String css, String name) {
        JsonNode r = script("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                css, name);
        return r.isNull() ? null : r.asText();
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(60));
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json; charset=utf-8")
                        .method(method, HttpRequest.BodyPublishers.ofString(HttpJson.json(body)));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = HttpJson.JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + path + ": " + r.statusCode() + " "
                        + json.path("value").path("error").asText() + ": " + json.path("value").path("message").asText());
            }
            return json.path("value");
        } catch (IOException e) {
            throw new UncheckedIOException("WebDriver " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (session != null && driver.isAlive()) {
                call("DELETE", "session/" + session, null);
            }
        } catch (RuntimeException e) {
            // the driver goes anyway
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroy();
        }
    }
}
