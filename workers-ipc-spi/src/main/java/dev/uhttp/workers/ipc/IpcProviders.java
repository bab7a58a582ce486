package dev.uhttp.workers.ipc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds and chooses {@link IpcProvider}s. */
public final class IpcProviders {

    /** The system property that names the provider. */
    public static final String PROPERTY = "workers.ipc";
    /** The environment variable that names the provider. */
    public static final String ENVIRONMENT = "WORKERS_IPC";

    private IpcProviders() {
    }

    /** Every provider found, available or not, highest priority first. */
    public static List<IpcProvider> all() {
        List<IpcProvider> found = new ArrayList<>();
        ServiceLoader.load(IpcProvider.class, IpcProviders.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
            ServiceLoader.load(IpcProvider.class).forEach(found::add);
        }
        found.sort(Comparator.comparingInt(IpcProvider::priority).reversed());
        return found;
    }

    /**
     * Chooses a provider, highest first: {@code explicit} (if not null), the system property
     * {@value #PROPERTY}, the environment variable {@value #ENVIRONMENT}, else the available provider
     * with the highest priority.
     *
     * @throws IllegalArgumentException for an unknown or unavailable name, naming the providers found
     * @throws IllegalStateException    when no provider is available at all
     */
    public static IpcProvider select(String explicit) {
        List<IpcProvider> providers = all();
        String name = explicit;
        String source = "the explicit setting";
        if (isBlank(name)) {
            name = System.getProperty(PROPERTY);
            source = "system property " + PROPERTY;
        }
        if (isBlank(name)) {
            name = System.getenv(ENVIRONMENT);
            source = "environment variable " + ENVIRONMENT;
        }
        if (!isBlank(name)) {
            String wanted = name.trim();
            for (IpcProvider p : providers) {
                if (p.name().equalsIgnoreCase(wanted)) {
                    if (!p.isAvailable()) {
                        throw new IllegalArgumentException("IPC provider '" + wanted + "' (from " + source
                                + ") is not available on this platform; found: " + describe(providers));
                    }
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown IPC provider '" + wanted + "' (from " + source
                    + "); found: " + describe(providers));
        }
        return providers.stream().filter(IpcProvider::isAvailable).findFirst().orElseThrow(() ->
                new IllegalStateException("no IPC provider available (found: " + describe(providers) + "): add the"
                        + " module uhttp.workers.ipc.unixsocket or uhttp.workers.ipc.pipe to jlink's --add-modules"
                        + " (or their jars, workers-ipc-unixsocket or workers-ipc-pipe, to the module or class path)"));
    }

    private static String describe(List<IpcProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        return providers.stream()
                .map(p -> p.name() + (p.isAvailable() ? "" : " (unavailable)"))
                .collect(Collectors.joining(", "));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
