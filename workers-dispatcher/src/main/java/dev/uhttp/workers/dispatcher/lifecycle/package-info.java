/**
 * The running dispatcher (not exported): startup, the event loop, signals and the graceful shutdown's
 * states, built from the user's {@code Dispatcher} settings and hooks when it starts.
 */
package dev.uhttp.workers.dispatcher.lifecycle;
