package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A SelectorLoop on its own thread with an HttpServer on it. */
final class ServerFixture implements AutoCloseable {
    final SelectorLoop loop;
    final HttpServer server;
    final TestHandler handler;
    final List<String> logs = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final List<Integer> ports;

    ServerFixture(HttpLimits config) throws IOException {
        this(config, "127.0.0.1", null);
    }

    ServerFixture(HttpLimits config, String host, javax.net.ssl.SSLContext ssl) throws IOException {
        loop = new SelectorLoop((l, logger, m, args) -> logs.add("loop: " + dev.uhttp.workers.api.Logger.format(m, args)));
        handler = new TestHandler(loop);
        server = new HttpServer(loop, config, handler,
                (l, logger, m, args) -> logs.add(l + " " + dev.uhttp.workers.api.Logger.format(m, args)));
        server.bind(new InetSocketAddress(host, 0), ssl);
        ports = server.localPorts();
        thread = new Thread(() -> {
            loop.bindToCurrentThread();
            while (running) {
                try {
                    loop.runOnce(100);
                } catch (IOException | RuntimeException e) {
                    logs.add("runOnce: " + e);
                }
            }
        }, "test-loop");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return ports.get(0);
    }

    <T> T onLoop(Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    int connections() {
        return onLoop(server::connectionCount);
    }

    @Override
    public void close() throws InterruptedException {
        onLoop(() -> {
            server.close();
            return null;
        });
        running = false;
        loop.wakeup();
        thread.join(10_000);
        loop.close();
    }
}
