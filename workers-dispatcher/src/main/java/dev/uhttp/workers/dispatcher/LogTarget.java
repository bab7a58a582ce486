package dev.uhttp.workers.dispatcher;

/**
 * Where the default {@link DispatcherBuilder#onLog} sends the records of the dispatcher and its workers
 * ({@link DispatcherBuilder#logTarget}).
 */
public enum LogTarget {
    /**
     * Standard error (the default), formatted for where it goes: syslog priority prefixes under journald
     * ({@code JOURNAL_STREAM}), a timestamp and colours on a terminal, a timestamp and the level otherwise.
     */
    STANDARD_ERROR,
    /**
     * {@link System.Logger}, named {@code uhttp.workers.} and the record's name ({@code uhttp.workers.dispatcher},
     * {@code uhttp.workers.compute[1]}...): a logging framework bridged to it (SLF4J's
     * {@code slf4j-jdk-platform-logging}, Log4j 2's {@code log4j-jpl}) gets every record. CRITICAL is
     * {@code ERROR} there.
     */
    SYSTEM_LOGGER,
    /** Both. */
    BOTH
}
