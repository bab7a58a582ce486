/**
 * The dispatcher's metrics (not exported): the registry ({@link dev.uhttp.workers.dispatcher.metrics.DispatcherMetrics}),
 * counted on the loop thread into per-pool objects resolved up front
 * ({@link dev.uhttp.workers.dispatcher.metrics.PoolMetrics}), and the Prometheus text exposition
 * ({@link dev.uhttp.workers.dispatcher.metrics.ExpositionWriter}). Users see snapshots as
 * {@link dev.uhttp.workers.dispatcher.Metrics}.
 */
package dev.uhttp.workers.dispatcher.metrics;
