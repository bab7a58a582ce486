package dev.uhttp.workers.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoggerTest {

    private record Rec(String name, LogLevel level, String message) {
    }

    private final List<Rec> records = new ArrayList<>();

    private Logger logger(LogLevel threshold) {
        return new Logger("pool[1]", threshold, (l, n, m, args) -> records.add(new Rec(n, l, Logger.format(m, args))));
    }

    @Test
    void placeholdersAreFilledInOrder() {
        assertEquals("item 42 saved by bob", Logger.format("item {} saved by {}", 42, "bob"));
        assertEquals("a {} b", Logger.format("a {} b"));
        assertEquals("x 1 {}", Logger.format("x {} {}", 1));
        assertEquals("x 1", Logger.format("x {}", 1, 2));
        assertEquals("null", Logger.format("{}", (Object) null));
    }

    @Test
    void escapedPlaceholderIsLiteral() {
        assertEquals("literal {} then 7", Logger.format("literal \\{} then {}", 7));
    }

    @Test
    void trailingThrowableIsPrintedWithStackTrace() {
        Exception e = new IllegalStateException("boom");
        String text = Logger.format("failed for {}", "x", e);
        assertTrue(text.startsWith("failed for x\njava.lang.IllegalStateException: boom"), text);
        assertTrue(text.contains("\tat " + LoggerTest.class.getName()), text);
    }

    @Test
    void throwableWithAPlaceholderIsRenderedInline() {
        Exception e = new IllegalStateException("boom");
        assertEquals("error: java.lang.IllegalStateException: boom", Logger.format("error: {}", e));
    }

    @Test
    void arraysAreRenderedByContent() {
        assertEquals("[1, 2] [a, [b]] [3, 4]",
                Logger.format("{} {} {}", new Object[] {new Integer[] {1, 2}, new Object[] {"a", new String[] {"b"}},
                        new int[] {3, 4}}));
    }

    @Test
    void recordsCarryNameLevelAndMessage() {
        logger(LogLevel.DEBUG).warning("disk {}% full", 93);
        assertEquals(List.of(new Rec("pool[1]", LogLevel.WARNING, "disk 93% full")), records);
    }

    @Test
    void recordsBelowThresholdAreNeitherSentNorFormatted() {
        AtomicInteger calls = new AtomicInteger();
        Object counting = new Object() {
            @Override
            public String toString() {
                calls.incrementAndGet();
                return "counted";
            }
        };
        Logger log = logger(LogLevel.WARNING);
        log.debug("{}", counting);
        log.info("{}", counting);
        assertEquals(0, calls.get());
        assertTrue(records.isEmpty());
        log.error("{}", counting);
        assertEquals(1, calls.get());
        assertEquals("counted", records.get(0).message());
        log.critical("{}", counting);
        assertEquals(2, records.size());
    }

    @Test
    void enabledChecksFollowThreshold() {
        Logger log = logger(LogLevel.INFO);
        assertFalse(log.isDebugEnabled());
        assertTrue(log.isInfoEnabled());
        assertTrue(log.isWarningEnabled());
        assertTrue(log.isEnabled(LogLevel.CRITICAL));
    }

    @Test
    void levelsByValueAndName() {
        assertEquals(LogLevel.WARNING, LogLevel.ofValue(30));
        assertEquals(LogLevel.WARNING, LogLevel.ofValue(35));
        assertEquals(LogLevel.DEBUG, LogLevel.ofValue(0));
        assertEquals(LogLevel.CRITICAL, LogLevel.ofValue(99));
        assertEquals(LogLevel.WARNING, LogLevel.parse("warn"));
        assertEquals(LogLevel.ERROR, LogLevel.parse(" Error "));
    }
}
