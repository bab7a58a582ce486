/**
 * The cluster bus over Redis pub/sub ({@code redis://} and {@code rediss://} cluster URIs): put this module
 * on the module path (or in the image) and give the dispatcher {@code cluster("redis://host:6379")}. It
 * speaks RESP itself, on the dispatcher's event loop, so it brings no other jar.
 */
module uhttp.workers.cluster.redis {
    requires uhttp.workers.dispatcher;

    provides dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider
            with dev.uhttp.workers.cluster.redis.RedisBusProvider;
}
