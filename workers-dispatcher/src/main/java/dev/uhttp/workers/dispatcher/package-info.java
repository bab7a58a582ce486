/**
 * The server's public API. A {@link dev.uhttp.workers.dispatcher.DispatcherConfig} (immutable, made with
 * {@link dev.uhttp.workers.dispatcher.DispatcherConfig#builder()}) holds the settings, the
 * {@link dev.uhttp.workers.dispatcher.WorkerPool}s (immutable values), the loop routes
 * ({@link dev.uhttp.workers.dispatcher.ExchangeHandler}s answering an
 * {@link dev.uhttp.workers.dispatcher.Exchange} on the dispatcher's loop) and the hooks
 * ({@link dev.uhttp.workers.dispatcher.Hooks}); {@code start()} returns the
 * {@link dev.uhttp.workers.dispatcher.RunningDispatcher}, whose running pools are
 * {@link dev.uhttp.workers.dispatcher.PoolHandle}s. {@link dev.uhttp.workers.dispatcher.Dispatcher} is the
 * subclass form over the same configuration, with {@link dev.uhttp.workers.dispatcher.LoopRoute @LoopRoute}
 * methods and overridden hooks.
 */
package dev.uhttp.workers.dispatcher;
