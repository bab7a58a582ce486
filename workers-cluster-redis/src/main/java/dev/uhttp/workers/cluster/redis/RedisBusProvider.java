package dev.uhttp.workers.cluster.redis;

import dev.uhttp.workers.dispatcher.cluster.ClusterBus;
import dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider;
import java.net.URI;
import java.util.Set;

/** The Redis cluster bus ({@code redis://}, {@code rediss://}); see {@link RedisUri} for the URI's form. */
public final class RedisBusProvider implements ClusterBusProvider {

    /** For {@link java.util.ServiceLoader}. */
    public RedisBusProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss");
    }

    @Override
    public ClusterBus open(URI uri, ClusterBus.Node node) {
        return new RedisBus(node, RedisUri.parse(uri), null);
    }
}
