/**
 * The running dispatcher (not exported): startup, the event loop, signals and the graceful shutdown's
 * states, run from the user's {@code DispatcherConfig} when it starts: it reads the settings there (and
 * each pool's {@code WorkerPool}), as they are, without a copy.
 */
package dev.uhttp.workers.dispatcher.lifecycle;
