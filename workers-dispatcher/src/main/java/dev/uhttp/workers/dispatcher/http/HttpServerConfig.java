package dev.uhttp.workers.dispatcher.http;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Limits and TLS settings of an {@link HttpServer}; immutable. Build with {@link #builder()}; every value
 * is checked when built.
 *
 * @param maxRequestLine            longest request line in bytes (414 beyond); default 8 KiB
 * @param maxHeaderBytes            largest header block (and trailer block) in bytes (431 beyond); default 16 KiB
 * @param maxHeaders                most header fields (431 beyond); default 100
 * @param maxContentLength          largest request body in bytes (413 beyond); default 1 MiB
 * @param keepAliveTimeout          how long an idle keep-alive connection is kept; default 30 s
 * @param headerTimeout             how long a request's header block may take to arrive in total (408 after;
 *                                  slowloris); for the body, the longest time between two reads that bring
 *                                  some of it, so a slow but steady upload completes (nginx's
 *                                  {@code client_body_timeout}); also how long a new connection may stay
 *                                  silent; default 10 s
 * @param writeTimeout              how long a client may leave written output unread before it is dropped
 *                                  (nginx's {@code send_timeout}); default 60 s
 * @param maxRequestsPerConnection  requests served on one connection before {@code Connection: close}; default 1000
 * @param maxConnections            open client connections above which accepting pauses; default 10000
 * @param maxStreamBuffer           per-connection cap on buffered output: over it a stream's connection is
 *                                  dropped, and no further request is read from the connection until its
 *                                  output falls to the low-water mark (half of it); default 1 MiB
 * @param maxPipelined              parsed requests awaiting their answer on one connection before the
 *                                  engine stops reading from it; default 32
 * @param sslContext                the TLS context, or null for no TLS
 * @param tlsMode                   whether TLS listens on its own port beside plain HTTP or replaces it
 */
public record HttpServerConfig(
        int maxRequestLine,
        int maxHeaderBytes,
        int maxHeaders,
        long maxContentLength,
        Duration keepAliveTimeout,
        Duration headerTimeout,
        Duration writeTimeout,
        int maxRequestsPerConnection,
        int maxConnections,
        long maxStreamBuffer,
        int maxPipelined,
        SSLContext sslContext,
        TlsMode tlsMode) {

    /** Where HTTPS is served when an {@link SSLContext} is set. */
    public enum TlsMode {
        /** HTTPS on its own listener(s), plain HTTP on the others. */
        SEPARATE_PORT,
        /** HTTPS only: {@link HttpServer#bind(java.net.InetSocketAddress)} binds TLS listeners. */
        REPLACE_PLAIN
    }

    /** The largest array the JVM allocates; a request body is held in one. */
    static final long MAX_BODY_ARRAY = Integer.MAX_VALUE - 8;

    public HttpServerConfig {
        positive("maxRequestLine", maxRequestLine);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxHeaders", maxHeaders);
        if (maxContentLength < 0 || maxContentLength > MAX_BODY_ARRAY) {
            throw new IllegalArgumentException("maxContentLength must be from 0 to " + MAX_BODY_ARRAY
                    + " (a body is held in one array), got " + maxContentLength);
        }
        keepAliveTimeout = duration("keepAliveTimeout", keepAliveTimeout);
        headerTimeout = duration("headerTimeout", headerTimeout);
        writeTimeout = duration("writeTimeout", writeTimeout);
        positive("maxRequestsPerConnection", maxRequestsPerConnection);
        positive("maxConnections", maxConnections);
        if (maxStreamBuffer < 2) {
            throw new IllegalArgumentException("maxStreamBuffer must be >= 2 bytes, got " + maxStreamBuffer);
        }
        positive("maxPipelined", maxPipelined);
        Objects.requireNonNull(tlsMode, "tlsMode");
        if (tlsMode == TlsMode.REPLACE_PLAIN && sslContext == null) {
            throw new IllegalArgumentException("tlsMode REPLACE_PLAIN needs an sslContext");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    private static Duration duration(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
        return d;
    }

    /** The default limits, no TLS. */
    public static HttpServerConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxRequestLine = maxRequestLine;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxHeaders = maxHeaders;
        b.maxContentLength = maxContentLength;
        b.keepAliveTimeout = keepAliveTimeout;
        b.headerTimeout = headerTimeout;
        b.writeTimeout = writeTimeout;
        b.maxRequestsPerConnection = maxRequestsPerConnection;
        b.maxConnections = maxConnections;
        b.maxStreamBuffer = maxStreamBuffer;
        b.maxPipelined = maxPipelined;
        b.sslContext = sslContext;
        b.tlsMode = tlsMode;
        return b;
    }

    /** Buffered stream output at or below which {@link HttpExchange#onWritable} fires again. */
    public long lowWaterMark() {
        return maxStreamBuffer / 2;
    }

    /** Builder for {@link HttpServerConfig}. */
    public static final class Builder {
        private int maxRequestLine = 8 * 1024;
        private int maxHeaderBytes = 16 * 1024;
        private int maxHeaders = 100;
        private long maxContentLength = 1024 * 1024;
        private Duration keepAliveTimeout = Duration.ofSeconds(30);
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private int maxRequestsPerConnection = 1000;
        private int maxConnections = 10000;
        private long maxStreamBuffer = 1024 * 1024;
        private int maxPipelined = 32;
        private SSLContext sslContext;
        private TlsMode tlsMode = TlsMode.SEPARATE_PORT;

        private Builder() {
        }

        public Builder maxRequestLine(int v) { maxRequestLine = v; return this; }
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        public Builder maxHeaders(int v) { maxHeaders = v; return this; }
        public Builder maxContentLength(long v) { maxContentLength = v; return this; }
        public Builder keepAliveTimeout(Duration v) { keepAliveTimeout = v; return this; }
        public Builder headerTimeout(Duration v) { headerTimeout = v; return this; }
        public Builder writeTimeout(Duration v) { writeTimeout = v; return this; }
        public Builder maxRequestsPerConnection(int v) { maxRequestsPerConnection = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxStreamBuffer(long v) { maxStreamBuffer = v; return this; }
        public Builder maxPipelined(int v) { maxPipelined = v; return this; }
        public Builder sslContext(SSLContext v) { sslContext = v; return this; }
        public Builder tlsMode(TlsMode v) { tlsMode = v; return this; }

        public HttpServerConfig build() {
            return new HttpServerConfig(maxRequestLine, maxHeaderBytes, maxHeaders, maxContentLength,
                    keepAliveTimeout, headerTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                    maxStreamBuffer, maxPipelined, sslContext, tlsMode);
        }
    }
}
