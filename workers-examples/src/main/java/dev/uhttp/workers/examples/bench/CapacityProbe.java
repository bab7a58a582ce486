package dev.uhttp.workers.examples.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's clock for "SIGKILL of a worker to full capacity again": kills an active worker of a
 * running {@link BenchDispatcher} itself, then polls its {@code /status} on one keep-alive connection
 * until the pool has as many active ready workers as before, none of them the killed one, and prints
 * the milliseconds that took (a shell loop of curl calls could not see below 20 ms). A raw socket and
 * a pattern, so the example module needs neither {@code java.net.http} nor Jackson for it.
 *
 * <pre>
 * java -p ... -m uhttp.workers.examples/dev.uhttp.workers.examples.bench.CapacityProbe PORT
 * </pre>
 */
public final class CapacityProbe {
    /** One worker of {@code status()}: its pid, whether alive and ready, and its role. */
    private static final Pattern WORKER = Pattern.compile(
            "\"pid\":(-?\\d+),\"alive\":(true|false),\"ready\":(true|false),[^{}]*?\"role\":\"(\\w+)\"");
    private static final Pattern LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");

    private CapacityProbe() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            List<Long> before = activeReady(status(socket));
            if (before.isEmpty()) {
                fail("no active ready worker");
            }
            long victim = before.get(0);
            long start = System.nanoTime();
            if (!ProcessHandle.of(victim).map(ProcessHandle::destroyForcibly).orElse(false)) {
                fail("cannot kill " + victim);
            }
            long deadline = start + 20_000_000_000L;
            while (System.nanoTime() - deadline < 0) {
                List<Long> now = activeReady(status(socket));
                if (!now.contains(victim) && now.size() >= before.size()) {
                    System.out.println((System.nanoTime() - start) / 1_000_000);
                    return;
                }
                Thread.sleep(1);
            }
            fail("no full capacity within 20 s");
        }
    }

    private static void fail(String message) {
        System.err.println("capacity probe: " + message);
        System.exit(1);
    }

    /** The pids of the active, alive, ready workers in a status body. */
    private static List<Long> activeReady(String body) {
        List<Long> pids = new ArrayList<>();
        Matcher m = WORKER.matcher(body);
        while (m.find()) {
            if (m.group(2).equals("true") && m.group(3).equals("true") && m.group(4).equals("active")) {
                pids.add(Long.parseLong(m.group(1)));
            }
        }
        return pids;
    }

    /** GET /status on the kept-alive connection; the body (the dispatcher answers with Content-Length). */
    private static String status(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        Matcher length = LENGTH.matcher(head.toString(StandardCharsets.US_ASCII));
        if (!length.find()) {
            throw new IOException("no Content-Length in " + head);
        }
        return new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }
}
