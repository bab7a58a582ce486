/** The dispatcher API: {@link dev.uhttp.workers.dispatcher.Dispatcher}, {@link dev.uhttp.workers.dispatcher.WorkerPool}, {@link dev.uhttp.workers.dispatcher.Client}. */
package dev.uhttp.workers.dispatcher;
