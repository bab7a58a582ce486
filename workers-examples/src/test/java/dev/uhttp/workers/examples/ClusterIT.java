package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.cluster.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two SSE example nodes (the image; one on unixsocket IPC, one on pipe) joined by a real redis-server:
 * a publish on either reaches the subscribers of both, once each; with Redis SIGKILLed, publishes still
 * answer at once (local subscribers get them, streams stay open, {@code /metrics} says disconnected);
 * with Redis back on its port, cross-node publishes work again. The nodes are shared by the steps, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path dir;
    private static RedisServer redis;
    private static ExampleProcess a;
    private static ExampleProcess b;
    private static SseSubscriber onA;
    private static SseSubscriber onB;

    static ExampleProcess node(String name, String ipc, String... more) {
        List<String> command = new java.util.ArrayList<>(List.of(Artifacts.image().resolve("bin/workers-example").toString(),
                "--example", "sse", "--port", "0", "--ipc", ipc, "--node", name));
        command.addAll(List.of(more));
        ExampleProcess p = ExampleProcess.start("cluster-" + name, command, Map.of());
        p.awaitListening();
        return p;
    }

    @BeforeAll
    static void startRedisAndTwoNodes() throws Exception {
        dir = Files.createTempDirectory("cluster-it-");
        redis = new RedisServer(dir).start();
        a = node("a", "unixsocket", "--redis", redis.uri());
        b = node("b", "pipe", "--redis", redis.uri());
        for (ExampleProcess n : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> get(n.base(), "/health/ready").statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> connected(n) == 1);
        }
        onA = SseSubscriber.open(a.base(), "news");
        onB = SseSubscriber.open(b.base(), "news");
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {onA, onB, a, b, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static HttpResponse<String> get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> publish(URI base, String msg) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/publish")).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"news\",\"msg\":\"" + msg + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code uhttp_cluster_connected} of {@code node}'s /metrics. */
    static int connected(ExampleProcess node) throws Exception {
        for (String line : get(node.base(), "/metrics").body().split("\n")) {
            if (line.startsWith("uhttp_cluster_connected ")) {
                return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return -1;
    }

    @Test
    @Order(1)
    void aPublishOnEitherNodeReachesEverySubscriberOnce() throws Exception {
        assertTrue(get(a.base(), "/health").body().contains("\"node\":\"a\""));
        long sent = System.nanoTime();
        assertEquals(200, publish(b.base(), "from-b").statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.count("from-b") == 1 && onB.count("from-b") == 1);
        System.out.printf("cross-node publish b -> a: %.1f ms%n", (onA.arrival("from-b") - sent) / 1e6);
        assertEquals(200, publish(a.base(), "from-a").statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.count("from-a") == 1 && onB.count("from-a") == 1);
        // A marker after both: anything duplicated would have arrived by the time it does.
        assertEquals(200, publish(a.base(), "marker-1").statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.count("marker-1") == 1 && onB.count("marker-1") == 1);
        assertEquals(List.of(1L, 1L, 1L, 1L), List.of(onA.count("from-b"), onB.count("from-b"), onA.count("from-a"),
                onB.count("from-a")), "exactly once per subscriber");
    }

    @Test
    @Order(2)
    void withRedisKilledPublishesAnswerAndStreamsStayOpen() throws Exception {
        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> connected(a) == 0 && connected(b) == 0);
        HttpResponse<String> r = publish(a.base(), "while-down");
        assertEquals(200, r.statusCode(), r.body());
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.count("while-down") == 1);
        assertTrue(onA.isOpen() && onB.isOpen(), "streams stay open");
        assertTrue(Files.readString(a.log()).contains("cluster"), "the log says the cluster part failed");
        assertEquals(0, onB.count("while-down"), "node b could not get it");
    }

    @Test
    @Order(3)
    void withRedisBackCrossNodePublishesWorkAgain() throws Exception {
        redis.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> connected(a) == 1 && connected(b) == 1);
        assertEquals(200, publish(b.base(), "after-restart").statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.count("after-restart") == 1 && onB.count("after-restart") == 1);
        assertTrue(onA.isOpen() && onB.isOpen());
        assertTrue(get(a.base(), "/metrics").body().contains("uhttp_cluster_reconnects_total"));
    }
}
