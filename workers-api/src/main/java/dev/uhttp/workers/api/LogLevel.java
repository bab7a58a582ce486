package dev.uhttp.workers.api;

/** Log levels, with the reference's numeric values. */
public enum LogLevel {
    DEBUG(10), INFO(20), WARNING(30), ERROR(40), CRITICAL(50);

    private final int value;

    LogLevel(int value) {
        this.value = value;
    }

    /** The numeric value: 10, 20, 30, 40 or 50. */
    public int value() {
        return value;
    }

    /** The level whose value is {@code value}, or the nearest level below it (DEBUG for anything lower). */
    public static LogLevel ofValue(int value) {
        LogLevel found = DEBUG;
        for (LogLevel level : values()) {
            if (level.value <= value) {
                found = level;
            }
        }
        return found;
    }

    /** Parses a name such as {@code "info"} or {@code "WARN"}, case-insensitively. */
    public static LogLevel parse(String name) {
        String upper = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (upper.equals("WARN")) {
            return WARNING;
        }
        try {
            return valueOf(upper);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown log level '" + name
                    + "' (expected DEBUG, INFO, WARNING, ERROR or CRITICAL)", e);
        }
    }
}
