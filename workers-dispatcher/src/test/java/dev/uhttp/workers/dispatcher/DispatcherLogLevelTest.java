package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The dispatcher's own log level: records below it never reach onLog. */
class DispatcherLogLevelTest {

    public static class Recording extends Dispatcher {
        final List<String> records = new CopyOnWriteArrayList<>();

        @Override
        protected void onLog(String name, LogLevel level, String message) {
            records.add(level + " " + name + " " + message);
        }
    }

    @Test
    void recordsBelowTheLevelAreDropped() {
        Recording d = new Recording();
        d.address("127.0.0.1").port(0).classDataArchives(null).logLevel(LogLevel.WARNING).start();
        try {
            d.log(LogLevel.INFO, "quiet {}", 1);
            d.log(LogLevel.ERROR, "loud {}", 2);
        } finally {
            d.stop();
        }
        assertFalse(d.records.stream().anyMatch(r -> r.contains("listening on") || r.contains("quiet")), d.records::toString);
        assertTrue(d.records.contains("ERROR dispatcher loud 2"), d.records::toString);
    }

    @Test
    void byDefaultEverythingPasses() {
        Recording d = new Recording();
        d.address("127.0.0.1").port(0).classDataArchives(null).start();
        d.stop();
        assertTrue(d.records.stream().anyMatch(r -> r.startsWith("INFO dispatcher listening on")), d.records::toString);
    }

    @Test
    void oneInfoLinePerListener() {
        Recording d = new Recording();
        d.address("127.0.0.1").port(0).classDataArchives(null).listener("admin", "127.0.0.1", 0).start();
        int port = d.port();
        int admin = d.port("admin");
        d.stop();
        List<String> listening = d.records.stream().filter(r -> r.startsWith("INFO") && r.contains("listening")).toList();
        assertEquals(List.of("INFO dispatcher listening on http://127.0.0.1:" + port + " (" + d.ipcProvider() + " IPC), 0 pool(s)",
                "INFO dispatcher listening on http://127.0.0.1:" + admin + " (listener admin)"), listening);
    }
}
