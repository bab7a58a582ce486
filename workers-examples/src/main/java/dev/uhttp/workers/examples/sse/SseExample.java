package dev.uhttp.workers.examples.sse;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.DispatcherBuilder;
import dev.uhttp.workers.dispatcher.DispatcherConfig;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Puts the SSE example together: an event pool of 2 workers ({@link EventWorker}, log level INFO,
 * kwarg {@code max_subscribers} 100) behind the {@link SseDispatcher} loop routes, and the demo page under
 * {@code /static/} with its SSE panel.
 *
 * <pre>{@code
 * SseExample.dispatcher(8080, "127.0.0.1", null).build().run();   // until SIGTERM / SIGINT
 * }</pre>
 *
 * <pre>
 * curl -N 'http://127.0.0.1:8080/events?channel=news'
 * curl -d '{"channel":"news","msg":"hello"}' http://127.0.0.1:8080/publish
 * </pre>
 */
public final class SseExample {
    /** The demo page's files, from the simple example's {@code static/} resources. */
    public static final List<String> PAGE_FILES = dev.uhttp.workers.examples.simple.SimpleExample.STATIC_FILES;
    /** The SSE panel, from this package's {@code static/} resources; the page loads it when served from here. */
    public static final String PANEL_FILE = "sse.js";
    /** Workers of the event pool. */
    public static final int WORKERS = 2;
    /** Default of the {@code max_subscribers} kwarg. */
    public static final int MAX_SUBSCRIBERS = 100;

    private SseExample() {
    }

    /**
     * The dispatcher's configuration, to build and start.
     *
     * @param ipc the IPC provider's name, or null for the default choice
     */
    public static DispatcherBuilder dispatcher(int port, String address, String ipc) {
        return dispatcher(port, address, ipc, MAX_SUBSCRIBERS, null);
    }

    /**
     * The dispatcher's configuration, to build and start.
     *
     * @param ipc            the IPC provider's name, or null for the default choice
     * @param maxSubscribers streams one worker holds before it pauses
     * @param staticDir      where to put the demo page (served at {@code /static/}), or null for a
     *                       temporary directory removed when the JVM exits
     */
    public static DispatcherBuilder dispatcher(int port, String address, String ipc, int maxSubscribers, Path staticDir) {
        DispatcherBuilder dispatcher = SseDispatcher.routes(DispatcherConfig.builder()).port(port).address(address).ipc(ipc);
        dispatcher.pool(WorkerPool.of(EventWorker.class)
                .name(SseDispatcher.EVENTS)
                .workers(WORKERS)
                .routes(SseDispatcher.EVENTS_PATH)
                .logLevel(LogLevel.INFO)
                .kwarg(EventWorker.MAX_SUBSCRIBERS, maxSubscribers));
        dispatcher.staticRoute("/static/", staticFiles(staticDir));
        dispatcher.metricsRoute("/metrics"); // the demo page's charts
        return dispatcher;
    }

    private static Path staticFiles(Path dir) {
        try {
            Path target = dir;
            if (target == null) {
                target = Files.createTempDirectory("workers-sse-");
                Path created = target;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(created), "workers-sse-cleanup"));
            }
            Files.createDirectories(target);
            List<String> resources = new java.util.ArrayList<>();
            PAGE_FILES.forEach(name -> resources.add("/dev/uhttp/workers/examples/simple/static/" + name));
            resources.add("/dev/uhttp/workers/examples/sse/static/" + PANEL_FILE);
            for (String resource : resources) {
                String name = resource.substring(resource.lastIndexOf('/') + 1);
                Path file = target.resolve(name);
                try (InputStream in = SseExample.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException("resource static/" + name + " is missing from " + SseExample.class.getModule());
                    }
                    Files.deleteIfExists(file);
                    Files.copy(in, file);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the demo page: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory: the OS cleans up eventually
        }
    }
}
