package dev.uhttp.workers.dispatcher.lifecycle;

import java.time.Duration;

/**
 * The settings for running several dispatchers side by side (behind a load balancer, on one port, joined
 * by a cluster bus), kept together so that they move as one group.
 *
 * @param readinessPath where the dispatcher answers its readiness ({@code /health/ready}), or null for nowhere
 * @param lameDuck      how long readiness says 503 after SIGTERM, while every route is still served, before
 *                      the graceful shutdown begins (zero: it begins at once)
 * @param reusePort     whether the listeners are bound with {@code SO_REUSEPORT}
 * @param clusterUri    the cluster bus to join ({@code redis://...}), or null for this process alone
 * @param nodeName      this dispatcher's name among its peers (shown by the example's {@code /health})
 */
public record ScaleOutSettings(String readinessPath, Duration lameDuck, boolean reusePort, String clusterUri,
                               String nodeName) {

    /** The settings of a dispatcher alone: no readiness route, no lame duck, no shared port, no bus. */
    public static final ScaleOutSettings NONE = new ScaleOutSettings(null, Duration.ZERO, false, null, null);
}
