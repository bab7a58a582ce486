/**
 * The entry point of every worker JVM, {@link dev.uhttp.workers.worker.WorkerMain}, launched by the dispatcher.
 */
package dev.uhttp.workers.worker;
