package dev.uhttp.workers.dispatcher.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A broadcast's envelope on the cluster bus, and a cluster URI no provider serves. */
class ClusterLinkTest {

    @Test
    void anEnvelopeComesBackAsItWent() throws IOException {
        byte[] body = "{\"channel\":\"news\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] wire = ClusterLink.encode("a/1", "events", "POST", "/publish", new String[] {"Content-Type", "application/json"}, body);
        ClusterLink.Envelope e = ClusterLink.decode(wire);
        assertEquals("a/1", e.origin());
        assertEquals("events", e.pool());
        assertEquals("/publish", e.path());
        assertArrayEquals(new String[] {"Content-Type", "application/json"}, e.headers());
        assertArrayEquals(body, e.body());
    }

    @Test
    void aCutOrForeignMessageIsRefused() {
        byte[] wire = ClusterLink.encode("a", "p", "POST", "/x", new String[0], new byte[10]);
        assertThrows(IOException.class, () -> ClusterLink.decode(Arrays.copyOf(wire, wire.length - 1)));
        assertThrows(IOException.class, () -> ClusterLink.decode("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aSchemeWithoutAProviderNamesTheModuleToAdd() {
        ClusterLink link = new ClusterLink("n", null, java.util.List.of(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> link.open("nats://h:4222"));
        assertTrue(e.getMessage().contains("no cluster bus serves 'nats://'"), e.getMessage());
        link.open(null); // no URI: this process alone
        assertTrue(link.isLocal());
    }
}
