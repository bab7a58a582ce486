package dev.uhttp.workers.dispatcher.lifecycle;

import dev.uhttp.workers.dispatcher.StaticOptions;
import dev.uhttp.workers.dispatcher.http.HttpServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The dispatcher's own settings, fixed when it starts (the user's {@code Dispatcher} setters fail from
 * then on).
 *
 * @param httpsPort          a separate HTTPS port, or null
 * @param sslContext         TLS for {@code port} (no {@code httpsPort}) or for {@code httpsPort}, or null
 * @param ipcName            the IPC provider asked for, or null for the default choice
 * @param classDataDirectory where class data archives are kept, or null for none
 * @param staticRoutes       URL prefix to directory, in the order they were added
 * @param metricsRoute       where the Prometheus metrics are served, or null for nowhere
 * @param accessLog          the access log, or null for none
 * @param scaleOut           readiness, lame duck, shared port and cluster bus
 */
public record DispatcherSettings(String address, int port, Integer httpsPort, SSLContext sslContext,
                                 Duration shutdownTimeout, int maxPending, String ipcName, Path classDataDirectory,
                                 Duration idleInterval, HttpServerConfig http, Map<String, Path> staticRoutes,
                                 Map<String, StaticOptions> staticOptions, List<Listener> listeners,
                                 MetricsRoute metricsRoute,
                                 dev.uhttp.workers.dispatcher.accesslog.AccessLogSettings accessLog,
                                 ScaleOutSettings scaleOut) {

    /** The name of the listener on {@code port} (and {@code httpsPort}). */
    public static final String DEFAULT_LISTENER = "default";

    /** A named listener: its address and port, and its TLS (null: plain HTTP). */
    public record Listener(String name, String address, int port, SSLContext ssl) {
    }

    /** The metrics route: its path, and the listeners it is limited to (empty: every one). */
    public record MetricsRoute(String path, List<String> listeners) {
        public MetricsRoute {
            listeners = List.copyOf(listeners);
        }
    }

    public DispatcherSettings {
        staticRoutes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(staticRoutes));
        staticOptions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(staticOptions));
        listeners = List.copyOf(listeners);
    }
}
