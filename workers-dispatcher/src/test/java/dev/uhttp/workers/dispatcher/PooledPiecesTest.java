package dev.uhttp.workers.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.http.RawClient;
import dev.uhttp.workers.ipc.PiecePool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher's pooled piece arrays come back ({@link PiecePool}: the pieces of streamed request
 * bodies on their way to a worker, and of large answers on their way to the client): per IPC provider,
 * 1 MiB echoes and 3 MiB streamed uploads (by Content-Length and chunked) on keep-alive connections
 * whose clients leave at random points (seeded): mid-upload, before the answer, or mid-answer; every
 * other upload's handler reads it with {@code transferTo}, the rest with {@code read}. Then
 * every array taken was given back, none twice nor written after its release (the tests run the pool
 * in check mode, which throws on the loop for those), and every answer read in full was right.
 */
class PooledPiecesTest {
    private static final int REQUESTS = 48;
    private static final int CLIENTS = 4;
    private static final int ECHO = 1 << 20;
    private static final int UPLOAD = 3 << 20;

    @ParameterizedTest
    @ValueSource(strings = {"unixsocket", "pipe"})
    void everyPieceComesBackWhenClientsLeaveMidBody(String ipc) throws Exception {
        PiecePool pool = PiecePool.shared();
        assertTrue(pool.checked(), "surefire runs the pool in check mode");
        long violationsBefore = pool.violations();
        long outstandingBefore = pool.outstanding();
        Dispatcher d = new Dispatcher();
        d.port(0).address("127.0.0.1").ipc(ipc).classDataArchives(null).maxContentLength(2 << 20)
                .pool(WorkerPool.of(BodyWorkers.UploadWorker.class).name("up").routes("/up/**").workers(2).concurrency(2)
                        .maxStreamedBodySize(8 << 20))
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> RawClient.get(d.port(), "/up/ping").status == 200);
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger left = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    long seed = 2115L + c;
                    done.add(clients.submit(() -> {
                        drive(d.port(), new Random(seed), next, answered, left);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(REQUESTS, answered.get() + left.get());
            assertTrue(answered.get() >= REQUESTS / 3 && left.get() >= REQUESTS / 6,
                    "answered " + answered + ", left " + left);
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.outstanding() == outstandingBefore);
        } finally {
            d.stop();
        }
        assertEquals(violationsBefore, pool.violations(), "a piece released twice or written after release");
    }

    /** Requests until {@link #REQUESTS} are taken, about half of them left at a random point. */
    private static void drive(int port, Random random, AtomicInteger next, AtomicInteger answered,
                              AtomicInteger left) throws Exception {
        Socket s = null;
        try {
            int number;
            while ((number = next.getAndIncrement()) < REQUESTS) {
                if (s == null) {
                    s = connect(port);
                }
                int kind = random.nextInt(3); // 0: echo, 1: upload by Content-Length, 2: chunked upload
                byte[] body = new byte[kind == 0 ? ECHO : UPLOAD];
                random.nextBytes(body);
                boolean chunked = kind == 2;
                // Every other upload's handler reads with transferTo (the worker hands it its pieces).
                String path = kind == 0 ? "echo" : number % 2 == 0 ? "sha256" : "sha256-transfer";
                String head = "POST /up/" + path + " HTTP/1.1\r\nHost: t\r\n"
                        + "Content-Type: application/octet-stream\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
                int fate = random.nextInt(100);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                if (fate < 20) { // gone mid-upload
                    send(out, body, random.nextInt(body.length), chunked);
                    out.flush();
                } else {
                    send(out, body, body.length, chunked);
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                    if (fate < 55) {
                        if (fate >= 35) { // gone mid-answer
                            s.getInputStream().readNBytes(1 + random.nextInt(kind == 0 ? ECHO / 2 : 100));
                        } // else gone before the answer
                    } else {
                        byte[] answer = readResponse(s.getInputStream());
                        if (kind == 0) {
                            assertArrayEquals(body, answer);
                        } else {
                            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
                            assertTrue(new String(answer, StandardCharsets.UTF_8).contains(sha));
                        }
                        answered.incrementAndGet();
                        continue;
                    }
                }
                s.close();
                s = null;
                left.incrementAndGet();
            }
        } finally {
            if (s != null) {
                s.close();
            }
        }
    }

    /** Sends the first {@code n} bytes of {@code body}, in chunks of up to 100 000 bytes when {@code chunked}. */
    private static void send(OutputStream out, byte[] body, int n, boolean chunked) throws IOException {
        if (!chunked) {
            out.write(body, 0, n);
            return;
        }
        for (int at = 0; at < n; at += 100_000) {
            int len = Math.min(100_000, n - at);
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, len);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(60_000);
        return s;
    }

    /** Reads one 200 response with a Content-Length; returns its body. */
    private static byte[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int size = h.length;
            if (size >= 4 && h[size - 4] == '\r' && h[size - 3] == '\n' && h[size - 2] == '\r' && h[size - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("HTTP/1.1 200"), text);
        int length = -1;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertTrue(length >= 0, "no Content-Length in " + text);
        byte[] body = in.readNBytes(length);
        assertEquals(length, body.length, "truncated body");
        return body;
    }
}
