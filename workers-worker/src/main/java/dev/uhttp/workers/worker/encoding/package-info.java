/**
 * How handler results become response bytes (JSON, text, bytes, SSE events); shared with the
 * dispatcher's sync handlers, exported only to {@code uhttp.workers.dispatcher}.
 */
package dev.uhttp.workers.worker.encoding;
