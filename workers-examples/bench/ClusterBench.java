import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster figures of issue 22 (run by cluster.sh, which starts Redis and the two nodes): a subscriber
 * on node A, publishes on node B. Latency: 1000 publishes one after another, each timed from just before
 * its POST /publish on B to its event's arrival on A (p50, p99). Rate: 5000 publishes from 4 clients at
 * once on B, timed until A's subscriber has them all (publishes/s through one Redis, end to end).
 *
 * usage: java ClusterBench.java http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B
 */
public class ClusterBench {
    static final Map<String, Long> ARRIVED = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        URI a = URI.create(args[0]);
        URI b = URI.create(args[1]);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(a.resolve("/events?channel=bench")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    int i = line.indexOf("\"msg\":\"");
                    if (line.startsWith("data:") && i >= 0) {
                        ARRIVED.put(line.substring(i + 7, line.indexOf('"', i + 7)), System.nanoTime());
                    }
                }
            } catch (Exception e) {
                // closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < 100; i++) { // warm-up
            publish(http, b, "w" + i);
        }
        waitFor("w99", 10_000);

        int n = 1000;
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
            String id = "l" + i;
            long sent = System.nanoTime();
            publish(http, b, id);
            waitFor(id, 5_000);
            latency[i] = ARRIVED.get(id) - sent;
        }
        Arrays.sort(latency);
        System.out.printf("cross-node publish latency over %d publishes: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                n, latency[n / 2] / 1e6, latency[n * 99 / 100] / 1e6, latency[n - 1] / 1e6);

        int total = 5000;
        int clients = 4;
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            threads[c] = new Thread(() -> {
                HttpClient own = HttpClient.newHttpClient();
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    try {
                        publish(own, b, "r" + i);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long posted = System.nanoTime();
        long deadline = System.currentTimeMillis() + 30_000;
        int seen;
        while ((seen = count("r")) < total && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        long last = ARRIVED.entrySet().stream().filter(e -> e.getKey().startsWith("r")).mapToLong(Map.Entry::getValue).max().orElse(posted);
        System.out.printf("%d publishes from %d clients on node B: answered at %.0f/s; %d of them reached node A's subscriber, at %.0f/s end to end%n",
                total, clients, total / ((posted - start) / 1e9), seen, seen / ((last - start) / 1e9));
        System.exit(0);
    }

    static int count(String prefix) {
        int n = 0;
        for (String k : ARRIVED.keySet()) {
            if (k.startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    static void publish(HttpClient http, URI node, String msg) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/publish"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"bench\",\"msg\":\"" + msg + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("publish: " + r.statusCode() + " " + r.body());
        }
    }

    static void waitFor(String id, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!ARRIVED.containsKey(id)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(id + " never arrived");
            }
            Thread.onSpinWait();
        }
    }
}
