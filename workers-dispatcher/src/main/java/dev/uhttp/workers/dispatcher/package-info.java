/**
 * The server: {@link dev.uhttp.workers.dispatcher.Dispatcher} (subclass it for auth, {@link dev.uhttp.workers.dispatcher.Sync @Sync}
 * handlers and hooks), {@link dev.uhttp.workers.dispatcher.WorkerPool} and {@link dev.uhttp.workers.dispatcher.Client}.
 */
package dev.uhttp.workers.dispatcher;
