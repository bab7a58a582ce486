package dev.uhttp.workers.dispatcher.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is behind trusted proxies: the rightmost untrusted hop, and only from a trusted peer. */
class TrustedProxiesTest {
    private static final TrustedProxies PROXIES = TrustedProxies.of(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));
    private static final InetSocketAddress PROXY = new InetSocketAddress("10.1.2.3", 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.9", 40000);

    private static String client(InetSocketAddress peer, String forwarded, String xff) {
        return PROXIES.origin(peer, false, forwarded, xff, null).address().getAddress().getHostAddress();
    }

    @Test
    void rangesAndAddresses() {
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("example.com")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("300.1.1.1")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("::1/129")));
        TrustedProxies p = TrustedProxies.of(List.of("192.168.0.0/23", "2001:db8::/32"));
        assertTrue(p.trusts(TrustedProxies.literal("192.168.1.255")));
        assertFalse(p.trusts(TrustedProxies.literal("192.168.2.0")));
        assertTrue(p.trusts(TrustedProxies.literal("2001:db8:ffff::1")));
        assertFalse(p.trusts(TrustedProxies.literal("2001:db9::1")));
        assertTrue(TrustedProxies.NONE.isEmpty());
    }

    @Test
    void aTrustedPeerReportsTheClient() {
        assertEquals("198.51.100.7", client(PROXY, null, "198.51.100.7"));
        assertEquals("198.51.100.7", client(PROXY, null, "198.51.100.7, 10.9.9.9"), "a chain of trusted proxies");
    }

    @Test
    void anUntrustedPeerCannotSpoof() {
        assertEquals("203.0.113.9", client(STRANGER, null, "198.51.100.7"));
        assertEquals("203.0.113.9", client(STRANGER, "for=198.51.100.7", null));
        assertEquals("203.0.113.9", TrustedProxies.NONE.origin(STRANGER, false, null, "1.2.3.4", null)
                .address().getAddress().getHostAddress());
    }

    @Test
    void whatAClientWritesOnTheLeftIsIgnored() {
        // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended what it saw.
        assertEquals("198.51.100.7", client(PROXY, null, "6.6.6.6, 198.51.100.7"));
    }

    @Test
    void malformedValuesStopTheWalk() {
        assertEquals("10.1.2.3", client(PROXY, null, "not-an-address"), "the proxy itself, when it wrote garbage");
        assertEquals("10.1.2.3", client(PROXY, null, "999.1.1.1"));
        assertEquals("198.51.100.7", client(PROXY, null, "junk, 198.51.100.7"));
        assertEquals("10.9.9.9", client(PROXY, null, "unknown, 10.9.9.9"), "the last trusted hop");
        assertEquals("10.1.2.3", client(PROXY, null, ""));
    }

    @Test
    void forwardedWithQuotesIpv6AndProto() {
        assertEquals("2001:db8:0:0:0:0:0:1", client(PROXY, "for=\"[2001:db8::1]:4711\";proto=https", null));
        assertEquals("198.51.100.7", client(PROXY, "For=198.51.100.7;by=10.0.0.1, for=\"10.2.2.2\"", null));
        assertEquals("10.1.2.3", client(PROXY, "for=_hidden", null), "obfuscated: not an address");
        TrustedProxies.Origin o = PROXIES.origin(PROXY, false, "for=198.51.100.7;proto=https", null, null);
        assertTrue(o.secure());
        assertEquals(0, o.address().getPort());
        assertEquals(4711, PROXIES.origin(PROXY, false, "for=\"[2001:db8::1]:4711\"", null, null).address().getPort());
    }

    @Test
    void forwardedProtoFollowsTheChosenHop() {
        assertTrue(PROXIES.origin(PROXY, false, null, "198.51.100.7", "https").secure());
        assertFalse(PROXIES.origin(PROXY, true, null, "198.51.100.7", "http").secure());
        assertTrue(PROXIES.origin(PROXY, false, null, "198.51.100.7, 10.9.9.9", "https, http").secure());
        assertFalse(PROXIES.origin(STRANGER, false, null, "198.51.100.7", "https").secure(), "never from a stranger");
    }

    @Test
    void ipv6Peers() {
        InetSocketAddress v6proxy = new InetSocketAddress("fd00::5", 1);
        assertEquals("198.51.100.7", client(v6proxy, null, "198.51.100.7"));
        assertEquals("2001:db8:0:0:0:0:0:2", client(v6proxy, null, "[2001:db8::2]"));
        assertEquals("2001:db8:0:0:0:0:0:3", client(v6proxy, null, "2001:db8::3"));
    }
}
