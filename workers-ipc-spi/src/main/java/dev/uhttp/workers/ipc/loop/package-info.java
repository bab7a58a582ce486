/**
 * The single-threaded selector loop that dispatcher and workers run their channels and timers on, and
 * heap-buffer I/O helpers for it.
 */
package dev.uhttp.workers.ipc.loop;
