package dev.uhttp.workers.dispatcher.cluster;

import java.net.URI;
import java.util.Set;

/**
 * A kind of cluster bus, found with {@link java.util.ServiceLoader} ({@code provides
 * dev.uhttp.workers.dispatcher.cluster.ClusterBusProvider with ...} in its module) by the scheme of the
 * dispatcher's cluster URI.
 */
public interface ClusterBusProvider {

    /** The URI schemes it serves, e.g. {@code redis} and {@code rediss}. */
    Set<String> schemes();

    /**
     * Opens the bus at {@code uri} for {@code node}, on the loop thread, without blocking: connecting,
     * and connecting again after a failure, happen on the loop in the background; a bus that cannot reach
     * its server yet is returned all the same (disconnected).
     *
     * @throws IllegalArgumentException for a URI it cannot use, with one line naming the fix
     */
    ClusterBus open(URI uri, ClusterBus.Node node);
}
