package dev.uhttp.workers.cluster.redis;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.LogSink;
import dev.uhttp.workers.dispatcher.cluster.ClusterBus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster bus over Redis pub/sub: one connection subscribes to the bus's channel and delivers
 * every {@code message} push to the dispatcher, one publishes ({@code PUBLISH channel message}). While
 * either is down, {@link #publish} returns false at once (the dispatcher has delivered locally already)
 * and the link reconnects with backoff. Loop thread only.
 */
final class RedisBus implements ClusterBus {
    private final Node node;
    private final byte[] channel;
    private final RedisLink publisher;
    private final RedisLink subscriber;
    private long messagesIn;
    private long messagesOut;
    private long dropped;

    /** @param ssl the TLS context for {@code rediss://}, or null for the JVM's default (its trust store) */
    RedisBus(Node node, RedisUri uri, javax.net.ssl.SSLContext ssl) {
        this.node = node;
        this.channel = uri.channel().getBytes(StandardCharsets.UTF_8);
        // Resolved once, at startup (off the request path); reconnects use the same address.
        InetSocketAddress address = new InetSocketAddress(uri.host(), uri.port());
        List<byte[]> auth = new ArrayList<>();
        if (uri.password() != null) {
            auth.add(uri.user() != null ? RespEncoder.command("AUTH", uri.user(), uri.password())
                    : RespEncoder.command("AUTH", uri.password()));
        }
        List<byte[]> subscribe = new ArrayList<>(auth);
        // The node's public log(level, text) under the runtime's one callback shape (the node names the logger).
        LogSink log = (level, logger, message, args) -> node.log(level, Logger.format(message, args));
        subscribe.add(RespEncoder.command("SUBSCRIBE", channel));
        publisher = new RedisLink("cluster publisher", node.loop(), address, uri.transports(ssl), auth,
                reply -> { }, () -> { }, log); // PUBLISH answers how many received it: not needed
        subscriber = new RedisLink("cluster subscriber", node.loop(), address, uri.transports(ssl), subscribe,
                this::pushed, () -> { }, log);
        publisher.connect();
        subscriber.connect();
    }

    @Override
    public boolean publish(byte[] message) {
        if (!subscriber.isReady() || !publisher.send(RespEncoder.command("PUBLISH", channel, message))) {
            dropped++;
            return false;
        }
        messagesOut++;
        return true;
    }

    /** A push on the subscriber connection: {@code ["message", channel, payload]} is delivered. */
    private void pushed(Object value) {
        if (value instanceof List<?> push && push.size() == 3 && push.get(0) instanceof byte[] kind
                && Arrays.equals(kind, "message".getBytes(StandardCharsets.US_ASCII))
                && push.get(1) instanceof byte[] ch && Arrays.equals(ch, channel) && push.get(2) instanceof byte[] payload) {
            messagesIn++;
            node.deliver(payload);
        }
    }

    @Override
    public Stats stats() {
        return new Stats(publisher.isReady() && subscriber.isReady(), messagesIn, messagesOut, dropped,
                publisher.reconnects() + subscriber.reconnects());
    }

    @Override
    public void close() {
        publisher.close();
        subscriber.close();
        node.log(LogLevel.DEBUG, "cluster bus closed");
    }
}
