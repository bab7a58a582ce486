package dev.uhttp.workers.examples.bench;

import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.Dispatcher;
import dev.uhttp.workers.dispatcher.LoopRoute;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's dispatcher (issue 6): {@code GET /hello} answered in the dispatcher itself (a sync
 * handler), {@code GET /status} the pools and their workers' pids, and a pool of {@link HelloWorker}s
 * for {@code /w/**}. With {@code --files DIR}, DIR is also the static route {@code /files/} and the
 * pool's file root, so {@code /files/NAME} (static) and {@code /w/file/NAME} (handed back by a worker)
 * send the same file (the files benchmark, {@code bench/files.sh}).
 *
 * <pre>
 * BenchDispatcher [--port N] [--ipc unixsocket|pipe] [--workers N] [--max-content-length BYTES]
 *                 [--worker-jvm-option OPTION]... [--files DIR]
 * </pre>
 *
 * Prints {@code bench-dispatcher listening on PORT} on standard output once it listens; stops on SIGTERM.
 */
public class BenchDispatcher extends Dispatcher {
    private static final Map<String, String> HELLO = Map.of("hello", "world");

    @LoopRoute(value = "/hello", methods = "GET")
    public void hello(Exchange client) {
        client.respond(HELLO);
    }

    @LoopRoute(value = "/status", methods = "GET")
    public void status(Exchange client) {
        client.respond(status());
    }

    /**
     * {@code GET /loop-cost}: bytes allocated and CPU time used so far by the loop thread (loop routes
     * run on it), for {@code bench/cost.sh}: the difference of two readings over a run of N requests is
     * the loop's allocation and CPU per request. Read first, so this answer's own garbage counts in the
     * next run (a few hundred bytes over 10^5 requests).
     */
    @LoopRoute(value = "/loop-cost", methods = "GET")
    public void loopCost(Exchange client) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long cpu = threads.getCurrentThreadCpuTime();
        client.respond(Map.of("allocatedBytes", allocated, "cpuNanos", cpu));
    }

    @Override
    protected void onStart() {
        System.out.println("bench-dispatcher listening on " + port());
        System.out.flush();
    }

    public static void main(String[] args) {
        int port = 8080;
        String ipc = null;
        int workers = 2;
        long maxContentLength = 2 << 20;
        long maxRequests = 0;
        int spares = 0;
        List<String> jvmOptions = new ArrayList<>();
        java.nio.file.Path files = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port" -> port = Integer.parseInt(v);
                case "--ipc" -> ipc = v;
                case "--workers" -> workers = Integer.parseInt(v);
                case "--max-content-length" -> maxContentLength = Long.parseLong(v);
                case "--worker-jvm-option" -> jvmOptions.add(v);
                case "--max-requests" -> maxRequests = Long.parseLong(v);
                case "--spares" -> spares = Integer.parseInt(v);
                case "--files" -> files = java.nio.file.Path.of(v).toAbsolutePath();
                default -> {
                    System.err.println("unknown argument: " + a);
                    System.exit(2);
                }
            }
            i++;
        }
        BenchDispatcher d = new BenchDispatcher();
        WorkerPool pool = WorkerPool.of(HelloWorker.class).workers(workers).routes("/w/**").maxRequests(maxRequests)
                .spares(spares).jvmOptions(jvmOptions.toArray(String[]::new));
        if (files != null) {
            pool = pool.fileRoots(files).kwarg(HelloWorker.FILES, files.toString());
            d.staticRoute("/files/", files);
        }
        d.port(port).address("127.0.0.1").maxContentLength(maxContentLength)
                // wrk keeps its connections for the whole run: do not recycle them mid-measurement.
                .maxRequestsPerConnection(Integer.MAX_VALUE)
                .pool(pool);
        if (ipc != null) {
            d.ipc(ipc);
        }
        d.run();
    }
}
