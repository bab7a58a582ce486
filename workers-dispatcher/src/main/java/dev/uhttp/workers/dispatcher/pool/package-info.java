/**
 * A running pool of worker processes (not exported), one concern per class: the
 * {@code Supervisor} (processes; its rules in {@code RestartPolicy}, {@code StuckDetector},
 * {@code Parking} and {@code Recycler}), the
 * {@code Scheduler} (requests), the
 * {@code WorkerLink} (one worker's messages), wired by
 * {@link dev.uhttp.workers.dispatcher.pool.PoolRuntime}. Time and processes come through
 * {@link dev.uhttp.workers.dispatcher.pool.PoolTimers} and
 * {@link dev.uhttp.workers.dispatcher.pool.WorkerSpawner}, so the rules run in unit tests without JVMs.
 */
package dev.uhttp.workers.dispatcher.pool;
