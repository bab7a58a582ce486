package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.dispatcher.cluster.ClusterBus;
import dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider;
import dev.uhttp.workers.dispatcher.pool.PoolRuntime;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * This dispatcher on the cluster bus: a pool's broadcast goes out as one message (this node's id, the
 * pool's name, the request), and a message from another node is delivered to the pool of that name
 * here. Its own messages coming back are dropped by id, so each subscriber gets a publish once. Loop thread.
 */
final class ClusterLink implements ClusterBus.Node {
    private static final byte VERSION = 1;
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final String id;
    private final SelectorLoop loop;
    private final List<PoolRuntime> pools;
    private final DispatcherHooks hooks;
    private ClusterBus bus = ClusterBus.LOCAL;
    private long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

    ClusterLink(String nodeName, SelectorLoop loop, List<PoolRuntime> pools, DispatcherHooks hooks) {
        this.id = nodeName + "/" + UUID.randomUUID();
        this.loop = loop;
        this.pools = pools;
        this.hooks = hooks;
    }

    /**
     * Opens the bus at {@code uri} (null: {@link ClusterBus#LOCAL}).
     *
     * @throws IllegalArgumentException with one line naming the fix, for a URI no provider serves
     */
    void open(String uri) {
        if (uri == null) {
            return;
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("cluster URI '" + uri + "' is not a URI: " + e.getMessage(), e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        for (ClusterBusProvider provider : ServiceLoader.load(ClusterBusProvider.class, ClusterLink.class.getClassLoader())) {
            if (provider.schemes().contains(scheme)) {
                bus = provider.open(parsed, this);
                return;
            }
        }
        throw new IllegalArgumentException("no cluster bus serves '" + scheme + "://' URIs: put workers-cluster-redis "
                + "(module uhttp.workers.cluster.redis) on the module path for redis:// and rediss://");
    }

    /** Hands a pool's broadcast to the other nodes; logs (at most every 10 s) when the bus cannot take it. */
    void publish(String pool, String method, String path, String[] headers, byte[] body) {
        if (bus == ClusterBus.LOCAL) {
            return;
        }
        if (!bus.publish(encode(id, pool, method, path, headers, body))) {
            long now = System.nanoTime();
            if (now - lastWarning >= WARN_EVERY_NANOS) {
                lastWarning = now;
                log(LogLevel.WARNING, "cluster bus not connected: a broadcast to pool " + pool
                        + " reached this node's workers only");
            }
        }
    }

    ClusterBus.Stats stats() {
        return bus.stats();
    }

    boolean isLocal() {
        return bus == ClusterBus.LOCAL;
    }

    void close() {
        bus.close();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SelectorLoop loop() {
        return loop;
    }

    @Override
    public void deliver(byte[] message) {
        Envelope e;
        try {
            e = decode(message);
        } catch (IOException | RuntimeException ex) {
            log(LogLevel.WARNING, "dropped a cluster message that is not a broadcast: " + ex);
            return;
        }
        if (e.origin.equals(id)) {
            return; // ours, back from the bus: delivered here when published
        }
        for (PoolRuntime p : pools) {
            if (p.name().equals(e.pool)) {
                p.broadcastLocal(e.method, e.path, e.headers, e.body);
                return;
            }
        }
    }

    @Override
    public void log(LogLevel level, String message) {
        hooks.log(level, "cluster", "{}", message);
    }

    /** A broadcast as it travels on the bus. */
    record Envelope(String origin, String pool, String method, String path, String[] headers, byte[] body) {
    }

    static byte[] encode(String origin, String pool, String method, String path, String[] headers, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + body.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(origin);
            out.writeUTF(pool);
            out.writeUTF(method);
            out.writeUTF(path);
            out.writeShort(headers.length);
            for (String h : headers) {
                out.writeUTF(h);
            }
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    static Envelope decode(byte[] message) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(message));
        if (in.readByte() != VERSION) {
            throw new IOException("unknown version");
        }
        String origin = in.readUTF();
        String pool = in.readUTF();
        String method = in.readUTF();
        String path = in.readUTF();
        String[] headers = new String[in.readUnsignedShort()];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = in.readUTF();
        }
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("body length " + length + " past the message's end");
        }
        byte[] body = in.readNBytes(length);
        return new Envelope(origin, pool, method, path, headers, body);
    }
}
