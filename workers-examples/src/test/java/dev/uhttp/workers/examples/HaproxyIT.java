package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HAProxy (Debian's) in front of two SSE example nodes (one on unixsocket IPC, one on pipe; the
 * lighter example, so that four node starts stay quick), checking {@code GET /health/ready} (which waits
 * for each node's workers) and retrying what a node refused. While 4 clients send requests through HAProxy: a rolling restart of both nodes (SIGTERM, lame duck, exit, start again)
 * loses none, and during the lame duck the node's readiness is 503 while its other routes answer 200.
 * Then one node is SIGKILLed: how many requests failed, and for how long, is printed (a figure, not an
 * assertion: HAProxy's retries hide most of it).
 */
class HaproxyIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROUTE = "/health";
    /** Longer than HAProxy's check interval times its fall count (1 s x 2), with room for slow checks. */
    private static final long LAME_DUCK_MS = 5000;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a node; the caller waits for its "listening" line. */
    private static ExampleProcess node(String name, String ipc, int port, int generation) {
        return ExampleProcess.start("haproxy-" + name + "-" + generation, List.of(
                Artifacts.image().resolve("bin/workers-example").toString(), "--example", "sse",
                "--port", Integer.toString(port), "--ipc", ipc, "--node", name,
                "--lame-duck-ms", Long.toString(LAME_DUCK_MS)), Map.of());
    }

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The servers HAProxy marks UP (and not on their way down), from its stats page (CSV). */
    private static List<String> up(int statsPort) throws Exception {
        List<String> up = new ArrayList<>();
        for (String line : get(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).body().split("\n")) {
            String[] f = line.split(",");
            // Exactly UP: "UP 1/2" is a server on its way down.
            if (f.length > 17 && f[0].equals("nodes") && f[17].equals("UP") && !f[1].equals("BACKEND")) {
                up.add(f[1]);
            }
        }
        return up;
    }

    /** Clients sending requests through HAProxy, each on its own thread, until stopped (at most 5 minutes). */
    static final class Clients implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong ok = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> failureTimes = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();

        Clients(int count, URI uri) {
            long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            for (int i = 0; i < count; i++) {
                Thread t = new Thread(() -> {
                    HttpClient client = HttpClient.newHttpClient();
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
                    while (running.get() && System.nanoTime() < end) {
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                fail(r.statusCode() + " " + r.body());
                            }
                            // Paced (about 100 requests/s per client), not waiting for anything: flat out, the
                            // clients would take the cores the restarting nodes need on a small CI machine.
                            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                        } catch (IOException e) {
                            fail(e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "client-" + i);
                threads.add(t);
                t.start();
            }
        }

        private void fail(String what) {
            failures.add(what);
            failureTimes.add(System.nanoTime());
        }

        long total() {
            return ok.get() + failures.size();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }
    }

    @Test
    void rollingRestartLosesNothingAndAKilledNodeIsCounted(@TempDir Path dir) throws Exception {
        int portA = freePort();
        int portB = freePort();
        int front = freePort();
        int stats = freePort();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
                global
                    maxconn 256
                    log stderr format raw local0
                defaults
                    log global
                    option log-health-checks
                    mode http
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                    timeout check 10s
                    retries 3
                    option redispatch 1
                    retry-on all-retryable-errors
                listen stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                frontend web
                    bind 127.0.0.1:%d
                    default_backend nodes
                backend nodes
                    balance roundrobin
                    option httpchk GET /health/ready
                    http-check expect status 200
                    default-server inter 1s fall 2 rise 2
                    server a 127.0.0.1:%d check
                    server b 127.0.0.1:%d check
                """.formatted(stats, front, portA, portB));
        ExampleProcess a = node("a", "unixsocket", portA, 1);
        ExampleProcess b = node("b", "pipe", portB, 1);
        a.awaitListening();
        b.awaitListening();
        Process haproxy = new ProcessBuilder(RequiredTool.require("haproxy", "haproxy").toString(), "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        List<ExampleProcess> all = new ArrayList<>(List.of(a, b));
        try {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> up(stats).size() == 2);
            URI through = URI.create("http://127.0.0.1:" + front + ROUTE);
            try (Clients clients = new Clients(4, through)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> clients.ok.get() >= 50);
                String[] names = {"a", "b"};
                String[] ipcs = {"unixsocket", "pipe"};
                int[] ports = {portA, portB};
                for (int i = 0; i < 2; i++) {
                    ExampleProcess old = all.get(i);
                    URI direct = URI.create("http://127.0.0.1:" + ports[i]);
                    old.signal("TERM");
                    await().atMost(Duration.ofSeconds(10)).until(() -> get(direct.resolve("/health/ready")).statusCode() == 503);
                    assertEquals(200, get(direct.resolve("/health")).statusCode(), "the lame duck serves every other route");
                    assertEquals(200, get(direct.resolve("/static/index.html")).statusCode());
                    String name = names[i];
                    await("haproxy to take " + name + " out").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                            .until(() -> !up(stats).contains(name));
                    assertEquals(0, old.awaitExit());
                    ExampleProcess fresh = node(names[i], ipcs[i], ports[i], 2);
                    all.set(i, fresh);
                    fresh.awaitListening();
                    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> up(stats).size() == 2);
                    long before = clients.total();
                    await().atMost(Duration.ofSeconds(30)).until(() -> clients.total() >= before + 20);
                }
                assertEquals(List.of(), List.copyOf(clients.failures).subList(0, Math.min(3, clients.failures.size())),
                        "answers other than 200 in the rolling restart, " + clients.failures.size() + " of " + clients.total()
                        + "; haproxy:\n" + Files.readString(dir.resolve("haproxy.log")));
                System.out.printf("rolling restart: %d requests, %d failed%n", clients.total(), clients.failures.size());

                long killedAt = System.nanoTime();
                long before = clients.total();
                all.get(0).signal("KILL");
                await().atMost(Duration.ofSeconds(30)).until(() -> up(stats).size() == 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> clients.total() >= before + 200);
                long lastFailure = clients.failureTimes.stream().mapToLong(Long::longValue).max().orElse(killedAt);
                System.out.printf("SIGKILL of one node: %d of %d requests failed, the last %.0f ms after the kill: %s%n",
                        clients.failures.size(), clients.total() - before, (lastFailure - killedAt) / 1e6,
                        clients.failures.stream().limit(3).toList());
            }
            assertTrue(haproxy.isAlive(), "haproxy ran throughout");
        } finally {
            haproxy.destroy();
            for (ExampleProcess p : all) {
                p.close();
            }
        }
    }
}
