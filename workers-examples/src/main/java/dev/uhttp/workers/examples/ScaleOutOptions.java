package dev.uhttp.workers.examples;

import dev.uhttp.workers.dispatcher.DispatcherBuilder;
import java.time.Duration;

/**
 * The options of the example's command line for running several nodes: the cluster bus, the node's
 * name, a shared port and the lame duck. The readiness route ({@value #READINESS_PATH}) is always served.
 *
 * @param redis      the Redis cluster URI, or null for this node alone
 * @param node       the node's name (shown as {@code "node"} in {@code /health}), or null for the host name and pid
 * @param lameDuckMs 0: no lame duck
 */
record ScaleOutOptions(String redis, String node, boolean reusePort, long lameDuckMs) {
    /** Where the example answers its readiness. */
    static final String READINESS_PATH = "/health/ready";

    static final ScaleOutOptions NONE = new ScaleOutOptions(null, null, false, 0);

    void applyTo(DispatcherBuilder dispatcher) {
        dispatcher.readinessRoute(READINESS_PATH).reusePort(reusePort).lameDuck(Duration.ofMillis(lameDuckMs));
        if (redis != null) {
            dispatcher.cluster(redis);
        }
        if (node != null) {
            dispatcher.nodeName(node);
        }
    }
}
