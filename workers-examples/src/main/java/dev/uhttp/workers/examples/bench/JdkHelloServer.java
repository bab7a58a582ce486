package dev.uhttp.workers.examples.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The anchor of the benchmark: the JDK's built-in {@code com.sun.net.httpserver.HttpServer} answering
 * {@code {"hello":"world"}} to every request, on 127.0.0.1. Run it with
 * {@code -Dsun.net.httpserver.nodelay=true}.
 *
 * <pre>JdkHelloServer [--port N] [--threads N]</pre>
 *
 * The executor has as many threads as cores by default (the handler never blocks; more threads only
 * add context switches). On the module path it needs {@code --add-modules jdk.httpserver}.
 */
public final class JdkHelloServer {
    private static final byte[] HELLO = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    private JdkHelloServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = 8080;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/", JdkHelloServer::hello);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            executor.shutdownNow();
        }));
        System.out.println("jdk-hello listening on " + server.getAddress().getPort());
        System.out.flush();
    }

    private static void hello(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, HELLO.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(HELLO);
            }
        }
    }
}
