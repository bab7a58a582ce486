package dev.uhttp.workers.dispatcher.metrics;

import dev.uhttp.workers.dispatcher.Metrics;
import java.util.Map;

/**
 * Writes metrics in the Prometheus text exposition format, version 0.0.4: per family a {@code # HELP}
 * and a {@code # TYPE} line, then its samples, one a line ({@code name{label="value",...} value}).
 * Label values escape backslash, double quote and line feed; help texts backslash and line feed.
 */
public final class ExpositionWriter {
    private ExpositionWriter() {
    }

    /** The whole snapshot as exposition text. */
    public static String write(Metrics metrics) {
        StringBuilder out = new StringBuilder(8192);
        for (Metrics.Family f : metrics.families()) {
            out.append("# HELP ").append(f.name()).append(' ');
            escape(f.help(), false, out);
            out.append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type().name().toLowerCase(java.util.Locale.ROOT))
                    .append('\n');
            for (Metrics.Sample s : f.samples()) {
                sample(s, out);
            }
        }
        return out.toString();
    }

    private static void sample(Metrics.Sample s, StringBuilder out) {
        out.append(s.name());
        if (!s.labels().isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> e : s.labels().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(e.getKey()).append("=\"");
                escape(e.getValue(), true, out);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(formatDouble(s.value())).append('\n');
    }

    /** Escapes {@code \} and line feed, and {@code "} too in a label value. */
    static void escape(String text, boolean labelValue, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(labelValue ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    /** A value as Prometheus writes it: integers without a fraction, {@code +Inf}, {@code -Inf}, {@code NaN}. */
    static String formatDouble(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1e-6 && Math.abs(v) < 1e15) {
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(); // 0.0005, not 5.0E-4
        }
        return Double.toString(v);
    }
}
