package dev.uhttp.workers.cluster.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A Redis cluster URI: {@code redis://[[user]:password@]host[:port][?channel=NAME]}, or {@code rediss://}
 * for TLS. The user and password go to {@code AUTH} (an ACL user, or the default user with a password
 * alone); the channel is the pub/sub channel the dispatchers of one cluster share (default
 * {@value #DEFAULT_CHANNEL}).
 */
record RedisUri(String host, int port, String user, String password, String channel, boolean tls) {
    static final String DEFAULT_CHANNEL = "uhttp-workers";

    static RedisUri parse(URI uri) {
        String scheme = uri.getScheme();
        boolean tls = "rediss".equalsIgnoreCase(scheme);
        if (!tls && !"redis".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("a Redis cluster URI starts with redis:// or rediss://, not " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the Redis cluster URI " + redacted(uri) + " names no host: use redis://host:6379");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info);
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
        }
        String channel = DEFAULT_CHANNEL;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("channel=") && pair.length() > 8) {
                    channel = decode(pair.substring(8));
                } else if (!pair.isEmpty()) {
                    throw new IllegalArgumentException("the Redis cluster URI " + redacted(uri)
                            + " has an unknown parameter '" + pair + "': only channel=NAME is known");
                }
            }
        }
        return new RedisUri(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), user, password, channel, tls);
    }

    /** How connections are made: plain, or TLS with {@code ssl} (null: the JVM's default context). */
    RedisTransport.Factory transports(javax.net.ssl.SSLContext ssl) {
        return tls ? RedisTls.factory(ssl) : RedisTransport.PLAIN;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URI without its password, for messages. */
    static String redacted(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (password != null ? "***@" : "") + host + ":" + port + "?channel=" + channel;
    }
}
