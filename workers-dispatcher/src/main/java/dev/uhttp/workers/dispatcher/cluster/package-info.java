/**
 * The cluster bus: how dispatchers on several machines (or several processes sharing a port) reach each
 * other's workers. A {@code PoolHandle.broadcast} on one dispatcher is delivered to its own workers at
 * once and handed to the bus; every other dispatcher on the bus delivers it to its pool of the same
 * name, so a publish reaches every subscriber held by any node's workers, once.
 *
 * <p>A bus is a {@link dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider} found with
 * {@link java.util.ServiceLoader} by the scheme of the URI given to {@code Dispatcher.cluster(uri)}:
 * the module {@code uhttp.workers.cluster.redis} serves {@code redis://} and {@code rediss://}. Without
 * a URI the dispatcher uses {@link dev.uhttp.workers.dispatcher.cluster.ClusterBus#LOCAL}: this process
 * alone, nothing leaves it.
 */
package dev.uhttp.workers.dispatcher.cluster;
