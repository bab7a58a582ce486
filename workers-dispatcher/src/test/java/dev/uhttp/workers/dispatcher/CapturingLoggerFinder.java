package dev.uhttp.workers.dispatcher;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link System.LoggerFinder} for the tests (a service of the test class path), standing in for a
 * logging framework's bridge: it keeps the records of {@code uhttp.workers.*} loggers and drops the rest.
 */
public final class CapturingLoggerFinder extends System.LoggerFinder {
    /** {@code LEVEL logger-name message}, in arrival order. */
    static final List<String> RECORDS = new CopyOnWriteArrayList<>();

    @Override
    public System.Logger getLogger(String name, Module module) {
        boolean kept = name.startsWith(LogOutput.LOGGER_PREFIX);
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return kept;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                if (kept) {
                    RECORDS.add(level + " " + name + " " + msg);
                }
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                if (kept) {
                    RECORDS.add(level + " " + name + " " + (params == null || params.length == 0 ? format
                            : java.text.MessageFormat.format(format, params)));
                }
            }

            @Override
            public void log(Level level, Supplier<String> supplier) {
                if (kept) {
                    RECORDS.add(level + " " + name + " " + supplier.get());
                }
            }
        };
    }
}
