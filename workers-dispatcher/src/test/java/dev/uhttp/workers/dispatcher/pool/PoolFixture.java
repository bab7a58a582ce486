package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.dispatcher.metrics.DispatcherMetrics;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.dispatcher.Internals;
import dev.uhttp.workers.dispatcher.PoolRequest;
import dev.uhttp.workers.dispatcher.RemovalReason;
import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.ipc.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool with fake processes, channels, clients and clock: every scheduling and supervision rule can
 * be driven step by step, in milliseconds, without a JVM.
 */
final class PoolFixture {
    /** A worker class for the settings; never instantiated here. */
    public static final class Idle extends Worker {
    }

    /** One launched fake worker process and its channel. */
    record FakeWorker(int id, FakeProcess process, FakeChannel channel) {
        void ready() {
            channel.receive(new Message.Ready(id, process.pid()));
        }

        void answer(long requestId, int status) {
            channel.receive(new Message.Response(requestId, status, new String[0], new byte[0]));
        }

        void heartbeat(long stalledMillis, long... busy) {
            channel.receive(new Message.Heartbeat(busy, stalledMillis));
        }
    }

    final FakeTimers timers = new FakeTimers();
    final List<String> logs = new ArrayList<>();
    final List<PoolRequest> responded = new ArrayList<>();
    /** {@code id:REASON} for every request the pool let go of, in order. */
    final List<String> removals = new ArrayList<>();
    /** {@code workerId:reason:exitCode:[victim ids]} for every worker death. */
    final List<String> deaths = new ArrayList<>();
    final Map<Integer, WorkerSpawner.Spawned> spawns = new LinkedHashMap<>();
    final Map<Integer, Integer> spawnCount = new HashMap<>();
    final Map<Integer, FakeWorker> workers = new HashMap<>();
    /** Resident bytes by pid, as the memory sampler reports them. */
    final Map<Long, Long> resident = new HashMap<>();
    final PoolRuntime pool;
    /** The metrics the pool counts into. */
    final DispatcherMetrics registry = new DispatcherMetrics();
    int pending;
    private long nextId = 1;

    /** The hooks a pool calls: recorded. */
    private final PoolHooks hooks = new PoolHooks() {
        @Override
        public void onResponse(int status, String[] headers, byte[] body, PoolRequest request) {
            responded.add(request);
        }

        @Override
        public void onForward(String route, String[] headers, byte[] body) {
            logs.add("FORWARD " + route + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void onRequestRemoved(PoolRequest request, RemovalReason reason) {
            removals.add(request.id() + ":" + reason);
        }

        @Override
        public void onWorkerDied(dev.uhttp.workers.dispatcher.WorkerDeath death) {
            deaths.add(death.workerId() + ":" + death.reason() + ":" + death.exitCode() + ":"
                    + death.victims().stream().map(v -> Long.toString(v.id())).toList());
        }
    };

    PoolFixture(WorkerPool settings) {
        PoolContext context = new PoolContext() {
            @Override
            public void log(LogLevel level, String logger, String message, Object... args) {
                logs.add(level + " " + Logger.format(message, args));
            }

            @Override
            public void workerLog(LogLevel level, String logger, String message) {
                logs.add(level + " " + logger + ": " + message);
            }

            @Override
            public void pendingChanged(int delta) {
                pending += delta;
            }

            @Override
            public PoolHooks hooks() {
                return hooks;
            }

            @Override
            public long streamPauseBytes() {
                return 1000;
            }
        };
        WorkerSpawner spawner = new WorkerSpawner() {
            @Override
            public void spawn(int workerId, Spawned spawned) {
                spawns.put(workerId, spawned);
                spawnCount.merge(workerId, 1, Integer::sum);
            }

            @Override
            public void residentBytes(long[] pids, java.util.function.Consumer<long[]> result) {
                long[] sizes = new long[pids.length];
                for (int i = 0; i < pids.length; i++) {
                    sizes[i] = resident.getOrDefault(pids[i], -1L);
                }
                result.accept(sizes);
            }
        };
        pool = new PoolRuntime(Internals.resolved(settings.name("test")), context, timers, spawner, registry.pool("test"));
        registry.gaugeSampler(pool::sampleMetrics);
    }

    static WorkerPool settings() {
        return WorkerPool.of(Idle.class);
    }

    /** Starts the pool and brings every worker up to ready. */
    PoolFixture started() {
        pool.start();
        for (int id : List.copyOf(spawns.keySet())) {
            launch(id).ready();
        }
        return this;
    }

    /** Completes the pending launch of worker {@code id}: its process runs and its channel is attached. */
    FakeWorker launch(int id) {
        WorkerSpawner.Spawned spawned = spawns.remove(id);
        assertNotNull(spawned, "worker " + id + " was not being launched");
        FakeProcess process = new FakeProcess();
        FakeChannel channel = new FakeChannel();
        spawned.started(process, (p, listener) -> {
            channel.start(null, listener);
            return channel;
        });
        FakeWorker worker = new FakeWorker(id, process, channel);
        workers.put(id, worker);
        return worker;
    }

    FakeWorker worker(int id) {
        return workers.get(id);
    }

    /** A client request for {@code path}, submitted to the pool; returns its exchange. */
    FakeExchange submit(String path) {
        FakeExchange exchange = new FakeExchange(path);
        pool.submit(new Pending(nextId++, Internals.client(exchange), exchange));
        return exchange;
    }

    /** Submits {@code exchange} (set up by the test) to the pool. */
    FakeExchange submit(FakeExchange exchange) {
        pool.submit(new Pending(nextId++, Internals.client(exchange), exchange));
        return exchange;
    }

    /** The id the next {@link #submit} gets. */
    long nextId() {
        return nextId;
    }

    /** A worker process exits; the pool hears of it on its next loop turn. */
    void exit(int id, int code) {
        workers.get(id).process().exit(code);
        timers.runTasks();
    }

    boolean logged(String fragment) {
        return logs.stream().anyMatch(l -> l.contains(fragment));
    }
}
