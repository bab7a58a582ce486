package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.FrameBufferPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher's pooled frame buffers come back: 5 000 small pool requests per IPC provider (10 000
 * in all), on keep-alive connections whose clients drop at random points (seeded): mid-request, right
 * after a whole request, or after the answer. Then every buffer the loop took from the pool for a frame
 * was released (written in full, or dropped with its channel), and none was released twice or used
 * after release (the tests run the pool in check mode, which throws on the loop for those), and no
 * request stayed held by a worker or queued (the pool's request sets and timeout list empty out).
 */
class PooledFrameBuffersTest {
    private static final int REQUESTS = 5_000;
    private static final int CLIENTS = 8;

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void everyPooledBufferComesBackWhenClientsDisconnectAtRandom(String ipc) throws Exception {
        FrameBufferPool pool = FrameBufferPool.shared();
        assertTrue(pool.checked(), "surefire runs the pool in check mode");
        long violationsBefore = pool.violations();
        Dispatcher d = new Dispatcher();
        d.port(0).address("127.0.0.1").ipc(ipc).classDataArchives(null)
                .pool(WorkerPool.of(TestWorkers.ApiWorker.class).workers(2).concurrency(4).routes("/api/**"))
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> exchange(d.port(), "/api/item/1") != null);
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger dropped = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    long seed = 21L * 1000 + c;
                    done.add(clients.submit(() -> {
                        drive(d.port(), new Random(seed), next, answered, dropped);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(REQUESTS, answered.get() + dropped.get());
            assertTrue(answered.get() > REQUESTS / 2 && dropped.get() > REQUESTS / 20,
                    "answered " + answered + ", dropped " + dropped);
            // Still serving (no buffer corrupted a frame), then nothing outstanding once quiet.
            assertTrue(exchange(d.port(), "/api/item/7").contains("\"id\":7"));
            await().atMost(Duration.ofSeconds(20)).until(() -> pool.outstanding() == 0);
            // Every request left its worker's set and its pool's queue (a request a client abandoned stays
            // held until its worker answers, then goes).
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Metrics m = d.metrics();
                return m.value("uhttp_requests_in_flight") == 0 && m.value("uhttp_queue_depth") == 0;
            });
        } finally {
            d.stop();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.outstanding() == 0);
        assertEquals(violationsBefore, pool.violations(), "a buffer released twice or used after release");
    }

    /** Requests until {@link #REQUESTS} are taken, about 15 % of them cut off at a random point. */
    private static void drive(int port, Random random, AtomicInteger next, AtomicInteger answered,
                              AtomicInteger dropped) throws IOException {
        Socket s = null;
        try {
            int n;
            while ((n = next.getAndIncrement()) < REQUESTS) {
                if (s == null) {
                    s = connect(port);
                }
                byte[] request = ("GET /api/item/" + n + "?q=" + n + " HTTP/1.1\r\nHost: t\r\nX-Pad: "
                        + "p".repeat(random.nextInt(200)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                int fate = random.nextInt(100);
                OutputStream out = s.getOutputStream();
                if (fate < 5) { // gone mid-request
                    out.write(request, 0, 1 + random.nextInt(request.length - 1));
                    out.flush();
                } else if (fate < 15) { // gone before the answer (the worker may be answering)
                    out.write(request);
                    out.flush();
                } else {
                    out.write(request);
                    out.flush();
                    String body = readResponse(s.getInputStream());
                    assertTrue(body.contains("\"id\":" + n), body);
                    answered.incrementAndGet();
                    continue;
                }
                s.close();
                s = null;
                dropped.incrementAndGet();
            }
        } finally {
            if (s != null) {
                s.close();
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** One GET on its own connection: the body of a 200, else null. */
    private static String exchange(int port, String path) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return readResponse(s.getInputStream());
        }
    }

    /** Reads one response with a Content-Length; returns its body (null unless the status is 200). */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            int size = head.size();
            byte[] h = head.toByteArray();
            if (size >= 4 && h[size - 4] == '\r' && h[size - 3] == '\n' && h[size - 2] == '\r' && h[size - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = -1;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertTrue(length >= 0, "no Content-Length in " + text);
        byte[] body = in.readNBytes(length);
        assertEquals(length, body.length, "truncated body");
        return text.startsWith("HTTP/1.1 200") ? new String(body, StandardCharsets.UTF_8) : null;
    }
}
