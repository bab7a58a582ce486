/**
 * Query string and cookie parsing and the worker-side {@code Request}; the parsers are shared with the
 * dispatcher's {@code Exchange}, exported only to {@code uhttp.workers.dispatcher}.
 */
package dev.uhttp.workers.worker.request;
