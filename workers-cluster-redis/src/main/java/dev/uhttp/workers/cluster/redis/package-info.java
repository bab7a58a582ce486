/**
 * The cluster bus over Redis pub/sub. {@link dev.uhttp.workers.cluster.redis.RedisBusProvider} is found by
 * the dispatcher with {@link java.util.ServiceLoader} for {@code redis://} and {@code rediss://} cluster
 * URIs. The RESP codec and the connections run on the dispatcher's own event loop: no client library
 * (the maintained ones are automatic modules with several more jars, which a jlink image refuses) and
 * no thread of their own.
 */
package dev.uhttp.workers.cluster.redis;
