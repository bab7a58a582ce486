package dev.uhttp.workers.cluster.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.cluster.ClusterBus;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis bus against a real redis-server with an ACL user: two buses (two nodes) get each other's
 * messages (and their own); with Redis killed, a publish returns false at once and nothing waits; with
 * Redis back on its port, both reconnect (counted) and messages flow again. Each bus runs on its own
 * SelectorLoop thread, as in a dispatcher.
 */
class RedisBusTest {

    /** A node: a loop on its own thread, and what the bus delivered to it. */
    static final class TestNode implements ClusterBus.Node, AutoCloseable {
        final SelectorLoop loop;
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<String> logs = new CopyOnWriteArrayList<>();
        final Thread thread;
        volatile boolean running = true;
        ClusterBus bus;

        TestNode(String name) throws IOException {
            loop = new SelectorLoop((level, logger, message, args) ->
                    logs.add("loop error " + dev.uhttp.workers.api.Logger.format(message, args)));
            thread = new Thread(() -> {
                loop.bindToCurrentThread();
                while (running) {
                    try {
                        loop.runOnce(100);
                    } catch (IOException e) {
                        logs.add(e.toString());
                    }
                }
            }, name);
            thread.start();
        }

        <T> T on(Supplier<T> task) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    f.complete(task.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            return f.get(5, TimeUnit.SECONDS);
        }

        boolean publish(String text) throws Exception {
            return on(() -> bus.publish(text.getBytes(StandardCharsets.UTF_8)));
        }

        ClusterBus.Stats stats() throws Exception {
            return on(() -> bus.stats());
        }

        @Override
        public String id() {
            return thread.getName();
        }

        @Override
        public SelectorLoop loop() {
            return loop;
        }

        @Override
        public void deliver(byte[] message) {
            delivered.add(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public void log(LogLevel level, String message) {
            logs.add(level + " " + message);
        }

        @Override
        public void close() throws Exception {
            on(() -> {
                bus.close();
                return null;
            });
            running = false;
            loop.wakeup();
            thread.join(5000);
            loop.close();
        }
    }

    @Test
    void twoNodesThroughRedisSurviveItsDeath(@TempDir Path dir) throws Exception {
        try (RedisServer redis = new RedisServer(dir, "--user", "default", "off", "--user", "node", "on", ">s3cret",
                "~*", "&*", "+@all").start();
             TestNode a = new TestNode("a");
             TestNode b = new TestNode("b")) {
            URI uri = URI.create("redis://node:s3cret@127.0.0.1:" + redis.port() + "?channel=test");
            a.bus = a.on(() -> new RedisBusProvider().open(uri, a));
            b.bus = b.on(() -> new RedisBusProvider().open(uri, b));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.stats().connected() && b.stats().connected());

            assertTrue(a.publish("one"));
            await().atMost(Duration.ofSeconds(5)).until(() -> b.delivered.contains("one") && a.delivered.contains("one"));
            assertTrue(b.publish("two"));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.delivered.contains("two"));
            assertEquals(List.of("one", "two"), b.delivered, "each message once, in order");
            assertEquals(new ClusterBus.Stats(true, 2, 1, 0, 0), a.stats());

            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> !a.stats().connected() && !b.stats().connected());
            assertFalse(a.publish("lost"), "while Redis is down a publish is refused at once");
            assertEquals(1, a.stats().dropped());
            assertTrue(a.logs.stream().anyMatch(l -> l.startsWith("WARNING cluster") && l.contains("lost")), a.logs.toString());

            redis.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.stats().connected() && b.stats().connected());
            assertTrue(a.stats().reconnects() >= 2, "publisher and subscriber reconnected: " + a.stats());
            assertTrue(a.publish("three"));
            await().atMost(Duration.ofSeconds(5)).until(() -> b.delivered.contains("three"));
            assertFalse(b.delivered.contains("lost"));
        }
    }

    @Test
    void aWrongPasswordIsLoggedAndRetried(@TempDir Path dir) throws Exception {
        try (RedisServer redis = new RedisServer(dir, "--requirepass", "right").start();
             TestNode a = new TestNode("a")) {
            a.bus = a.on(() -> new RedisBusProvider().open(URI.create("redis://:wrong@127.0.0.1:" + redis.port()), a));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.logs.stream().anyMatch(l -> l.contains("refused the handshake")));
            assertFalse(a.stats().connected());
            assertFalse(a.publish("x"));
        }
    }

    @Test
    void tlsToRedisWithItsCertificateChecked(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(RequiredTool.require("openssl", "openssl").toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertEquals(0, openssl.waitFor());
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(cert)) {
            trust.setCertificateEntry("redis", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (RedisServer redis = new RedisServer(dir, "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no", "--requirepass", "pw").start();
             TestNode a = new TestNode("a");
             TestNode b = new TestNode("b")) {
            RedisUri uri = RedisUri.parse(URI.create("rediss://:pw@127.0.0.1:" + redis.port()));
            a.bus = a.on(() -> new RedisBus(a, uri, ssl));
            b.bus = b.on(() -> new RedisBus(b, uri, ssl));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertTrue(a.stats().connected() && b.stats().connected(), a.logs.toString()));
            assertTrue(a.publish("secret " + "x".repeat(40_000)));
            await().atMost(Duration.ofSeconds(5)).until(() -> b.delivered.size() == 1);
            assertEquals("secret " + "x".repeat(40_000), b.delivered.get(0), "a message larger than one TLS record");

            TestNode untrusting = new TestNode("c");
            try (untrusting) {
                untrusting.bus = untrusting.on(() -> new RedisBus(untrusting, uri, null));
                await().atMost(Duration.ofSeconds(10)).until(() -> untrusting.logs.stream()
                        .anyMatch(l -> l.startsWith("WARNING") && l.contains("unreachable")));
                assertFalse(untrusting.stats().connected(), "a certificate the JVM does not trust is refused");
            }
        }
    }

    @Test
    void badUrisFailWithOneLine() {
        assertThrows(IllegalArgumentException.class, () -> RedisUri.parse(URI.create("redis:///nohost")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse(URI.create("redis://u:pw@h:1?chanel=x")));
        assertFalse(e.getMessage().contains("pw"), "the password stays out of messages: " + e.getMessage());
        RedisUri u = RedisUri.parse(URI.create("rediss://alice:p%40ss@redis.example:6380?channel=c1"));
        assertEquals(new RedisUri("redis.example", 6380, "alice", "p@ss", "c1", true), u);
        assertEquals(6379, RedisUri.parse(URI.create("redis://h")).port());
    }
}
