package dev.uhttp.workers.dispatcher.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.staticfiles.StaticRoutes;
import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Slow clients from a real attack tool, slowhttptest (issue 13), on loopback: slowloris (headers a
 * byte at a time), slow body (R-U-Dead-Yet) and slow read, 1000 connections each for 15 s, while a
 * probe opens a fresh connection every 100 ms and must get 200 every time. Afterwards the server's
 * connections and this process's open descriptors fall back to where they were.
 *
 * <p>The limits they meet: the header timeout (total for the header block: slowloris), the same
 * timeout between two reads of a body (slow body: its ticks are slower than the timeout), the write
 * timeout (slow read: its reads are further apart than the timeout). Needs slowhttptest (Debian package
 * slowhttptest; {@link RequiredTool}). Each run's output is kept in {@code target/slowhttptest-*.log}.
 */
class SlowClientsAttackTest {
    private static final int CONNECTIONS = 1000;
    private static final int SECONDS = 15;
    @RegisterExtension
    static final RequiredTool SLOWHTTPTEST = RequiredTool.of("slowhttptest", "slowhttptest");
    static ServerFixture f;
    static Path www;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(HttpLimits.builder()
                .headerTimeout(Duration.ofSeconds(3))
                .writeTimeout(Duration.ofSeconds(3))
                .keepAliveTimeout(Duration.ofSeconds(3))
                .maxConnections(4096)
                .build());
        // The slow reader asks for a file: sent from the file (no heap per connection), more than the
        // socket buffers hold, so the server's writes block and the write timeout applies.
        www = Files.createTempDirectory("slowread");
        try (var out = Files.newOutputStream(www.resolve("big.bin"))) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                out.write(block);
            }
        }
        f.handler.statics = new StaticRoutes(Map.of("/static/", www));
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
        if (www != null) {
            Files.deleteIfExists(www.resolve("big.bin"));
            Files.deleteIfExists(www);
        }
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "slowloris, -H -i 5 -x 8, /echo",
        "slow-body, -B -i 5 -x 8 -s 8192, /echo",
        "slow-read, -X -n 5 -w 1 -y 64 -z 8, /static/big.bin",
    })
    void probesStayAnsweredAndDescriptorsFallBack(String name, String mode, String path) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> f.connections() == 0);
        long fdsBefore = openDescriptors();
        Path log = Path.of("target", "slowhttptest-" + name + ".log");
        Files.createDirectories(log.getParent());
        String cmd = "ulimit -n 4096; exec " + SLOWHTTPTEST.path() + " " + mode + " -c " + CONNECTIONS + " -r 400 -l " + SECONDS
                + " -p 5 -u http://127.0.0.1:" + f.port() + path;
        Process attack = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger probes = new AtomicInteger();
        AtomicInteger peakConnections = new AtomicInteger();
        AtomicInteger peakFds = new AtomicInteger();
        long started = System.nanoTime();
        int logsBefore = f.logs.size();
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
        try {
            probe.scheduleWithFixedDelay(() -> {
                try {
                    peakConnections.accumulateAndGet(f.connections(), Math::max);
                    peakFds.accumulateAndGet((int) openDescriptors(), Math::max);
                    RawClient.Response r = RawClient.get(f.port(), "/echo");
                    if (r.status != 200) {
                        failures.add("status " + r.status);
                    }
                } catch (Exception | AssertionError e) {
                    failures.add(e.toString());
                }
                probes.incrementAndGet();
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertTrue(attack.waitFor(SECONDS + 45, TimeUnit.SECONDS), name + ": slowhttptest did not end");
        } finally {
            attack.destroyForcibly();
            probe.shutdown();
            assertTrue(probe.awaitTermination(30, TimeUnit.SECONDS));
        }
        long attackMillis = (System.nanoTime() - started) / 1_000_000;
        List<String> lines = Files.readAllLines(log);
        assertTrue(failures.isEmpty(), name + ": " + failures.size() + " of " + probes.get() + " probes failed: " + failures);
        assertTrue(probes.get() >= 20, name + ": too few probes ran: " + probes.get());
        assertTrue(peakConnections.get() >= 100, name + ": the attack did not connect: " + String.join("\n", lines));
        await().atMost(Duration.ofSeconds(30)).until(() -> f.connections() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> openDescriptors() <= fdsBefore + 5);
        assertEquals(0, f.connections());
        long settledMillis = (System.nanoTime() - started) / 1_000_000 - attackMillis;
        List<String> logs = f.logs.subList(logsBefore, f.logs.size());
        long timedOut = logs.stream().filter(l -> l.contains("not received in time")).count();
        long stoppedReading = logs.stream().filter(l -> l.contains("stopped reading")).count();
        Files.writeString(Path.of("target", "slowhttptest-summary.txt"), String.format(
                "%s: attack %d ms, %d probes all 200, peak %d server connections, descriptors %d before, %d peak,"
                + " back within %d ms after the tool ended; %d request timeouts (408), %d write timeouts%n", name,
                attackMillis, probes.get(), peakConnections.get(), fdsBefore, peakFds.get(), settledMillis, timedOut,
                stoppedReading),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
