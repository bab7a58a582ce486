package dev.uhttp.workers.api.internal;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.api.Logger;

/**
 * Creates {@link Logger}s for the runtime modules, so that the public {@code Logger} has no public
 * constructor taking a {@link LogSink}. {@code Logger} hands its constructor over when
 * its class initialises.
 */
public final class Loggers {
    /** {@code Logger}'s constructor. */
    @FunctionalInterface
    public interface Factory {
        Logger create(String name, LogLevel threshold, LogSink sink);
    }

    private static volatile Factory factory;

    private Loggers() {
    }

    /** Called once, by {@code Logger}'s static initialiser. */
    public static void factory(Factory f) {
        if (factory == null) {
            factory = f;
        }
    }

    /** {@code level} as a {@link System.Logger} level (CRITICAL is ERROR there). */
    public static System.Logger.Level platformLevel(LogLevel level) {
        return switch (level) {
            case CRITICAL, ERROR -> System.Logger.Level.ERROR;
            case WARNING -> System.Logger.Level.WARNING;
            case INFO -> System.Logger.Level.INFO;
            case DEBUG -> System.Logger.Level.DEBUG;
        };
    }

    /** A logger named {@code name} that sends what passes {@code threshold} to {@code sink}. */
    public static Logger create(String name, LogLevel threshold, LogSink sink) {
        Factory f = factory;
        if (f == null) {
            try {
                Class.forName(Logger.class.getName(), true, Logger.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            f = factory;
        }
        return f.create(name, threshold, sink);
    }
}
