package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.ipc.IpcProviders;
import org.junit.jupiter.api.Test;

/** Choosing the IPC provider: explicit, system property, environment, best available; unknown names fail at startup. */
class IpcSelectionTest {

    @Test
    void theBestAvailableProviderIsUnixSocketsAndAnExplicitNameWins() {
        String saved = System.clearProperty(IpcProviders.PROPERTY);
        try {
            if (System.getenv(IpcProviders.ENVIRONMENT) == null) {
                assertEquals("unixsocket", IpcProviders.select(null).name());
            }
            assertEquals("pipe", IpcProviders.select("pipe").name());
            System.setProperty(IpcProviders.PROPERTY, "pipe");
            assertEquals("pipe", IpcProviders.select(null).name(), "the system property comes before the environment");
            assertEquals("unixsocket", IpcProviders.select("unixsocket").name(), "code comes before the property");
        } finally {
            System.clearProperty(IpcProviders.PROPERTY);
            if (saved != null) {
                System.setProperty(IpcProviders.PROPERTY, saved);
            }
        }
    }

    @Test
    void anUnknownProviderFailsAtStartupNamingTheProvidersFound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dispatcher().port(0).address("127.0.0.1").ipc("carrier-pigeon").start());
        assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
        assertTrue(e.getMessage().contains("unixsocket") && e.getMessage().contains("pipe"), e.getMessage());
    }

    @Test
    void misconfigurationFailsAtStartupWithAMessageNamingIt() {
        IllegalArgumentException twoFallbacks = assertThrows(IllegalArgumentException.class,
                () -> new Dispatcher().port(0).pool(WorkerPool.of(TestWorkers.ApiWorker.class),
                        WorkerPool.of(TestWorkers.StoreWorker.class)).start());
        assertTrue(twoFallbacks.getMessage().contains("fallback"), twoFallbacks.getMessage());
        IllegalArgumentException sameName = assertThrows(IllegalArgumentException.class,
                () -> new Dispatcher().port(0).pool(WorkerPool.of(TestWorkers.ApiWorker.class).routes("/a/**"),
                        WorkerPool.of(TestWorkers.ApiWorker.class).routes("/b/**")).start());
        assertTrue(sameName.getMessage().contains("ApiWorker"), sameName.getMessage());
        IllegalArgumentException badRoute = assertThrows(IllegalArgumentException.class,
                () -> WorkerPool.of(TestWorkers.ApiWorker.class).routes("api/**"));
        assertTrue(badRoute.getMessage().contains("api/**"), badRoute.getMessage());
    }
}
