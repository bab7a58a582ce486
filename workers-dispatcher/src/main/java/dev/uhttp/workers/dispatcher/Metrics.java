package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.dispatcher.metrics.ExpositionWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A consistent snapshot of the dispatcher's metrics ({@link Dispatcher#metrics()}), in Prometheus's
 * data model: families of samples, each sample a name, labels and a value. Read it, bridge it to a
 * registry of your own, or write it as Prometheus text with {@link #text()} (what
 * {@link Dispatcher#metricsRoute} serves). Immutable.
 *
 * <p>A histogram family {@code x} holds the samples {@code x_bucket} (cumulative, one per upper bound
 * {@code le}, {@code +Inf} last), {@code x_sum} and {@code x_count}. Counters' names end in
 * {@code _total}. Durations are in seconds, sizes in bytes. The families are listed in README.md
 * ("Metrics").
 *
 * @param families every metric family, in a stable order
 */
public record Metrics(List<Family> families) {

    /** The media type of {@link #text()}: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** What a family measures. */
    public enum Type {
        /** Only goes up (until the dispatcher restarts). */
        COUNTER,
        /** A current value. */
        GAUGE,
        /** Observations counted in buckets, with their sum and count. */
        HISTOGRAM
    }

    /**
     * One metric family.
     *
     * @param name    e.g. {@code uhttp_requests_total}
     * @param help    what it measures
     * @param samples its samples (for a histogram: buckets, sum and count per label set)
     */
    public record Family(String name, String help, Type type, List<Sample> samples) {
        public Family {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(help, "help");
            Objects.requireNonNull(type, "type");
            samples = List.copyOf(samples);
        }
    }

    /**
     * One value.
     *
     * @param name   the sample's name (a histogram's have the suffixes {@code _bucket}, {@code _sum}, {@code _count})
     * @param labels label names to values, in order
     */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            Objects.requireNonNull(name, "name");
            labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        }
    }

    public Metrics {
        families = List.copyOf(families);
    }

    /**
     * The sum of the samples named {@code sample} whose labels include the given ones, e.g.
     * {@code value("uhttp_requests_total", "pool", "compute")} for every status of pool compute; 0 when
     * there is none (a counter that never moved may be absent).
     *
     * @param labelPairs label names and values, alternating
     */
    public double value(String sample, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        double sum = 0;
        for (Family f : families) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sample) && matches(s.labels(), labelPairs)) {
                    sum += s.value();
                }
            }
        }
        return sum;
    }

    private static boolean matches(Map<String, String> labels, String[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The family named {@code name}, or null. */
    public Family family(String name) {
        for (Family f : families) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** This snapshot in the Prometheus text exposition format 0.0.4 ({@link #CONTENT_TYPE}). */
    public String text() {
        return ExpositionWriter.write(this);
    }
}
