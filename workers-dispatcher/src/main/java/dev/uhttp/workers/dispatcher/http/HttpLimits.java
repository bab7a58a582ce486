package dev.uhttp.workers.dispatcher.http;

import java.time.Duration;

/**
 * The limits of an {@link HttpServer}; immutable, a component of the dispatcher's configuration. The
 * dispatcher's builder checks each value where it is set (one wording for every setting); this record
 * takes them as given, so that tests can build any limits. TLS is not here: it is given per listener
 * when one is bound ({@link HttpServer#bind(java.net.InetSocketAddress, javax.net.ssl.SSLContext, String)}).
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
 */
public record HttpLimits(
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
        int maxPipelined) {

    /** The largest array the JVM allocates; a request body is held in one, so no maxContentLength is larger. */
    public static final long MAX_BODY_ARRAY = Integer.MAX_VALUE - 8;

    /** The default limits. */
    public static HttpLimits defaults() {
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
        return b;
    }

    /** Buffered stream output at or below which {@link HttpExchange#onWritable} fires again. */
    public long lowWaterMark() {
        return maxStreamBuffer / 2;
    }

    /** Builder for {@link HttpLimits}. */
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

        public HttpLimits build() {
            return new HttpLimits(maxRequestLine, maxHeaderBytes, maxHeaders, maxContentLength,
                    keepAliveTimeout, headerTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                    maxStreamBuffer, maxPipelined);
        }
    }
}
