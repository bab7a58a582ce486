/**
 * The server: {@link dev.uhttp.workers.dispatcher.Dispatcher} (subclass it for auth, {@link dev.uhttp.workers.dispatcher.LoopRoute @LoopRoute}
 * handlers and hooks), {@link dev.uhttp.workers.dispatcher.WorkerPool} and {@link dev.uhttp.workers.dispatcher.Exchange}.
 */
package dev.uhttp.workers.dispatcher;
