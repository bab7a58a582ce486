/** The worker runtime: {@link dev.uhttp.workers.worker.WorkerMain} is what a launched worker JVM runs. */
package dev.uhttp.workers.worker;
