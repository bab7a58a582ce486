package dev.uhttp.workers.dispatcher.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.dispatcher.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text exposition, written without sockets: escaping, number formats, histogram buckets. */
class ExpositionWriterTest {

    @Test
    void labelValuesAndHelpAreEscaped() {
        Metrics m = new Metrics(List.of(new Metrics.Family("x_total", "a \\ help\nwith \"quotes\"", Metrics.Type.COUNTER,
                List.of(new Metrics.Sample("x_total", Labels.of("pool", "a\"b\\c\nd", "code", "200"), 3)))));
        assertEquals("""
                # HELP x_total a \\\\ help\\nwith "quotes"
                # TYPE x_total counter
                x_total{pool="a\\"b\\\\c\\nd",code="200"} 3
                """, m.text());
    }

    @Test
    void numbersAsPrometheusWritesThem() {
        assertEquals("0", ExpositionWriter.formatDouble(0));
        assertEquals("42", ExpositionWriter.formatDouble(42));
        assertEquals("0.0005", ExpositionWriter.formatDouble(0.0005));
        assertEquals("2.5", ExpositionWriter.formatDouble(2.5));
        assertEquals("+Inf", ExpositionWriter.formatDouble(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", ExpositionWriter.formatDouble(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", ExpositionWriter.formatDouble(Double.NaN));
        assertEquals("1.0E-9", ExpositionWriter.formatDouble(1e-9));
        assertEquals(1e20, Double.parseDouble(ExpositionWriter.formatDouble(1e20)));
    }

    @Test
    void histogramBucketsAreCumulativeWithInfSumAndCount() {
        Histogram h = new Histogram(new double[] {0.001, 0.01, 0.1});
        h.observe(500_000);      // 0.5 ms: first bucket
        h.observe(1_000_000);    // exactly 1 ms: le is inclusive
        h.observe(50_000_000);   // 50 ms: third
        h.observe(5_000_000_000L); // 5 s: only +Inf
        h.observe(-7);           // a clock step back counts as 0
        List<Metrics.Sample> s = new ArrayList<>();
        h.addSamples("d_seconds", Labels.of("pool", "p"), s);
        Metrics m = new Metrics(List.of(new Metrics.Family("d_seconds", "d", Metrics.Type.HISTOGRAM, s)));
        assertEquals("""
                # HELP d_seconds d
                # TYPE d_seconds histogram
                d_seconds_bucket{pool="p",le="0.001"} 3
                d_seconds_bucket{pool="p",le="0.01"} 3
                d_seconds_bucket{pool="p",le="0.1"} 4
                d_seconds_bucket{pool="p",le="+Inf"} 5
                d_seconds_sum{pool="p"} 5.0515
                d_seconds_count{pool="p"} 5
                """, m.text());
        assertEquals(5, h.count());
    }

    @Test
    void registryCountsByLabelAndStatus() {
        DispatcherMetrics registry = new DispatcherMetrics();
        PoolMetrics compute = registry.pool("compute");
        compute.ended(200, 1_000_000, 100);
        compute.ended(200, 2_000_000, 100);
        compute.ended(0, 3_000_000, 0); // the client left: 499
        ((PoolMetrics) registry.sync().counters()).ended(413, 10, 50);
        compute.restart(RestartReason.STUCK);
        compute.sampleQueue(2, 1);
        compute.sampleWorker(0, WorkerState.BUSY, 123);
        compute.sampleWorker(1, WorkerState.READY, -1);
        Metrics m = registry.snapshot();
        assertEquals(2, m.value("uhttp_requests_total", "pool", "compute", "code", "200"));
        assertEquals(1, m.value("uhttp_requests_total", "pool", "compute", "code", "499"));
        assertEquals(3, m.value("uhttp_requests_total", "pool", "compute"));
        assertEquals(1, m.value("uhttp_requests_total", "pool", "sync", "code", "413"));
        assertEquals(3, m.value("uhttp_request_duration_seconds_count", "pool", "compute"));
        assertEquals(0.006, m.value("uhttp_request_duration_seconds_sum", "pool", "compute"), 1e-12);
        assertEquals(200, m.value("uhttp_response_bytes_total", "pool", "compute"));
        assertEquals(1, m.value("uhttp_worker_restarts_total", "pool", "compute", "reason", "stuck"));
        assertEquals(0, m.value("uhttp_worker_restarts_total", "pool", "compute", "reason", "died"));
        assertEquals(2, m.value("uhttp_queue_depth", "pool", "compute"));
        assertEquals(1, m.value("uhttp_workers", "pool", "compute", "state", "busy"));
        assertEquals(123, m.value("uhttp_worker_resident_bytes", "pool", "compute", "worker", "0"));
        assertEquals(1, m.family("uhttp_worker_resident_bytes").samples().size(), "unmeasured workers are left out");
        String text = m.text();
        for (Metrics.Family f : m.families()) {
            assertTrue(text.contains("# TYPE " + f.name() + " "), f.name());
            if (f.type() == Metrics.Type.COUNTER) {
                assertTrue(f.name().endsWith("_total"), f.name());
            }
        }
        assertEquals(Map.of("direction", "sent"), m.family("uhttp_ipc_frames_total").samples().get(0).labels());
    }
}
