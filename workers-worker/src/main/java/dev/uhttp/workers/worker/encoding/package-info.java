/** Converts handler results (maps, records, strings, bytes, Response) to status, headers and body bytes; shared with the dispatcher. */
package dev.uhttp.workers.worker.encoding;
