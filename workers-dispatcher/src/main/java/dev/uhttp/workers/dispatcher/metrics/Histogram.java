package dev.uhttp.workers.dispatcher.metrics;

import dev.uhttp.workers.dispatcher.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus histogram of durations with fixed buckets, in seconds outside and nanoseconds inside.
 * Observing is a short scan over at most a few dozen bounds and two additions: no allocation, no lock
 * (loop thread only). Counts are kept per bucket and made cumulative when a snapshot is taken.
 */
final class Histogram {
    /** Request latencies in a dispatcher: from half a millisecond (static, sync) to half a minute. */
    static final double[] LATENCY_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10, 30};
    /** How late the loop's timers fire: a millisecond is normal, a second is a blocked loop. */
    static final double[] LAG_SECONDS = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final double[] bounds;
    private final long[] boundNanos;
    /** counts[i]: observations in (bounds[i-1], bounds[i]]; the last one is the +Inf bucket. */
    private final long[] counts;
    private long sumNanos;

    Histogram(double[] boundsSeconds) {
        for (int i = 1; i < boundsSeconds.length; i++) {
            if (!(boundsSeconds[i] > boundsSeconds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase");
            }
        }
        this.bounds = boundsSeconds.clone();
        this.boundNanos = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            boundNanos[i] = Math.round(bounds[i] * 1e9);
        }
        this.counts = new long[bounds.length + 1];
    }

    /** Records one duration; a negative one (a clock that went back) counts as zero. */
    void observe(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < boundNanos.length && n > boundNanos[i]) {
            i++;
        }
        counts[i]++;
        sumNanos += n;
    }

    long count() {
        long c = 0;
        for (long n : counts) {
            c += n;
        }
        return c;
    }

    /**
     * Adds this histogram's samples, as Prometheus names them ({@code name_bucket} with a cumulative
     * count per {@code le}, {@code +Inf} last, then {@code name_sum} in seconds and {@code name_count}),
     * with {@code labels} on each.
     */
    void addSamples(String name, Map<String, String> labels, List<Metrics.Sample> out) {
        long cumulative = 0;
        List<Metrics.Sample> buckets = new ArrayList<>(counts.length);
        for (int i = 0; i <= bounds.length; i++) {
            cumulative += counts[i];
            String le = i < bounds.length ? ExpositionWriter.formatDouble(bounds[i]) : "+Inf";
            buckets.add(new Metrics.Sample(name + "_bucket", Labels.with(labels, "le", le), cumulative));
        }
        out.addAll(buckets);
        out.add(new Metrics.Sample(name + "_sum", labels, sumNanos / 1e9));
        out.add(new Metrics.Sample(name + "_count", labels, cumulative));
    }
}
