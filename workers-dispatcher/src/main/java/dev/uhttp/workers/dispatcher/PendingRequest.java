package dev.uhttp.workers.dispatcher;

/**
 * A request handed to a pool, as {@link Dispatcher#onResponse} sees it after the answer was sent.
 *
 * @param id     the dispatcher's id for it
 * @param client the original request (its connection may already be closed)
 * @param pool   the pool that answered
 */
public record PendingRequest(long id, Client client, PoolHandle pool) {
}
