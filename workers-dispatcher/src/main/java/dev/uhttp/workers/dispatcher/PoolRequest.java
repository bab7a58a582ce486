package dev.uhttp.workers.dispatcher;

/**
 * A request handed to a pool, as the pool hooks ({@code onResponse}, {@code onRequestRemoved},
 * {@code onWorkerDied}) see it (the reference's pending request).
 *
 * @param id       the dispatcher's id for it
 * @param exchange the original request (its connection may already be closed)
 * @param pool     the pool that took it
 */
public record PoolRequest(long id, Exchange exchange, PoolHandle pool) {
}
