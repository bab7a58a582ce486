package dev.uhttp.workers.dispatcher.routing;

import dev.uhttp.workers.dispatcher.http.HttpExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who the client is behind trusted proxies (the reference's {@code trusted_proxies}). Only when the
 * peer of the connection is a trusted proxy are {@code Forwarded} (RFC 7239) or, without it,
 * {@code X-Forwarded-For} read: the client is the rightmost hop that is not itself a trusted proxy (a
 * client can put anything on the left of the list, but each trusted proxy appends the address it saw).
 * The scheme comes from the same {@code Forwarded} element's {@code proto}, or from
 * {@code X-Forwarded-Proto}. A value that is not an address ends the walk: the last trusted hop is
 * then taken as the client. Never trusted by default. Immutable and thread-safe.
 */
public final class TrustedProxies {
    /** No proxy is trusted: the peer is the client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    /** Who the client is: its address (port 0 when the header gave none) and whether it used TLS. */
    public record Origin(InetSocketAddress address, boolean secure) {
    }

    private record Range(byte[] network, int prefix) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((a[full] ^ network[full]) & (0xff << (8 - rest))) == 0;
        }
    }

    private final List<String> specs;
    private final List<Range> ranges;

    private TrustedProxies(List<String> specs, List<Range> ranges) {
        this.specs = specs;
        this.ranges = ranges;
    }

    /** The addresses and ranges as they were given. */
    public List<String> specs() {
        return specs;
    }

    /**
     * Proxies given as addresses or CIDR ranges, IPv4 or IPv6 ({@code 127.0.0.1}, {@code 10.0.0.0/8},
     * {@code ::1}, {@code fd00::/8}); literals only, no host names.
     *
     * @throws IllegalArgumentException for anything else, naming it
     */
    public static TrustedProxies of(List<String> specs) {
        List<Range> ranges = new ArrayList<>();
        for (String spec : specs) {
            String s = spec == null ? "" : spec.trim();
            int slash = s.indexOf('/');
            InetAddress address = literal(slash < 0 ? s : s.substring(0, slash));
            int bits = address == null ? 0 : address.getAddress().length * 8;
            int prefix = bits;
            if (address != null && slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
            }
            if (address == null || prefix < 0 || prefix > bits) {
                // The settings' one wording (SettingChecks): "<setting> must be ..., got <value>".
                throw new IllegalArgumentException("trusted proxy must be an IP address or CIDR range (e.g. 10.0.0.0/8, ::1), got "
                        + (spec == null ? null : "'" + spec + "'"));
            }
            ranges.add(new Range(address.getAddress(), prefix));
        }
        return new TrustedProxies(List.copyOf(specs), List.copyOf(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean trusts(InetAddress address) {
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The client of {@code exchange}'s request. */
    public Origin origin(HttpExchange exchange) {
        if (ranges.isEmpty()) {
            return new Origin(exchange.remoteAddress(), exchange.isSecure());
        }
        return origin(exchange.remoteAddress(), exchange.isSecure(), joined(exchange, "Forwarded"),
                joined(exchange, "X-Forwarded-For"), joined(exchange, "X-Forwarded-Proto"));
    }

    /** Every field line named {@code name}, joined with commas (RFC 9110 §5.3), or null. */
    private static String joined(HttpExchange exchange, String name) {
        String[] headers = exchange.headers();
        StringBuilder sb = null;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                sb = sb == null ? new StringBuilder(headers[i + 1]) : sb.append(',').append(headers[i + 1]);
            }
        }
        return sb == null ? null : sb.toString();
    }

    /**
     * The client of a request that came from {@code peer} over a connection that is {@code secure}
     * or not, with its {@code Forwarded}, {@code X-Forwarded-For} and {@code X-Forwarded-Proto} headers
     * (each null when absent; repeated headers joined with commas).
     */
    public Origin origin(InetSocketAddress peer, boolean secure, String forwarded, String forwardedFor,
                         String forwardedProto) {
        if (ranges.isEmpty() || peer.getAddress() == null || !trusts(peer.getAddress())) {
            return new Origin(peer, secure);
        }
        List<String[]> hops = forwarded != null ? forwardedHops(forwarded) : forwardedForHops(forwardedFor, forwardedProto);
        InetSocketAddress client = peer;
        String proto = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetSocketAddress hop = address(hops.get(i)[0]);
            if (hop == null) {
                break; // not an address (unknown, obfuscated, garbage): the last trusted hop it is
            }
            client = hop;
            proto = hops.get(i)[1];
            if (!trusts(hop.getAddress())) {
                break;
            }
        }
        boolean https = proto != null ? proto.trim().equalsIgnoreCase("https") : secure;
        return new Origin(client, client == peer ? secure : https);
    }

    /** {@code Forwarded}: elements separated by commas, pairs by semicolons; {@code for} and {@code proto}. */
    private static List<String[]> forwardedHops(String header) {
        List<String[]> hops = new ArrayList<>();
        for (String element : split(header, ',')) {
            String forValue = null;
            String proto = null;
            for (String pair : split(element, ';')) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = unquote(pair.substring(eq + 1).trim());
                if (name.equals("for")) {
                    forValue = value;
                } else if (name.equals("proto")) {
                    proto = value;
                }
            }
            hops.add(new String[] {forValue == null ? "" : forValue, proto});
        }
        return hops;
    }

    /** {@code X-Forwarded-For}; the proto of the same position when the lists are as long, else the last. */
    private static List<String[]> forwardedForHops(String forwardedFor, String forwardedProto) {
        List<String[]> hops = new ArrayList<>();
        if (forwardedFor == null) {
            return hops;
        }
        List<String> fors = split(forwardedFor, ',');
        List<String> protos = forwardedProto == null ? List.of() : split(forwardedProto, ',');
        for (int i = 0; i < fors.size(); i++) {
            String proto = protos.isEmpty() ? null
                    : protos.size() == fors.size() ? protos.get(i) : protos.get(protos.size() - 1);
            hops.add(new String[] {fors.get(i).trim(), proto});
        }
        return hops;
    }

    /** Splits at {@code separator} outside double quotes. */
    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                parts.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(s.substring(start).trim());
        return parts;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    /** {@code 1.2.3.4}, {@code 1.2.3.4:80}, {@code ::1}, {@code [::1]}, {@code [::1]:80}; null for anything else. */
    static InetSocketAddress address(String hop) {
        String s = hop.trim();
        String host = s;
        int port = 0;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = port(rest.substring(1));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(s.substring(s.indexOf(':') + 1));
        }
        InetAddress address = port < 0 ? null : literal(host);
        return address == null ? null : new InetSocketAddress(address, port);
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : -1;
    }

    /** An IP literal, never a name lookup; null when {@code s} is not one. */
    static InetAddress literal(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return null;
            }
        }
        if (!v6) {
            String[] octets = s.split("\\.", -1);
            if (octets.length != 4) {
                return null;
            }
            for (String o : octets) {
                if (o.isEmpty() || o.length() > 3 || Integer.parseInt(o) > 255) {
                    return null; // a dotted string that is no address would be looked up by name
                }
            }
        }
        try {
            return InetAddress.getByName(s); // a literal: no lookup
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
