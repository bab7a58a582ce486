package dev.uhttp.workers.dispatcher.http;

/**
 * The head of one request as the parser read it: request line, header fields and the framing decided
 * from them. Built once when the header block ends and never changed afterwards ({@code headers} is
 * owned by the head: nobody writes into it after construction).
 *
 * @param method         the method token, e.g. {@code GET}
 * @param target         the request target as sent, without a fragment
 * @param path           the percent-decoded path with dot segments resolved
 * @param query          the raw query without {@code ?}; empty if none
 * @param http11         HTTP/1.1 (else HTTP/1.0)
 * @param headers        {@code [name0, value0, ...]} in arrival order
 * @param keepAlive      whether the connection may carry another request after this one
 * @param expectContinue whether the client waits for {@code 100 Continue}
 * @param framing        how the body is delimited
 * @param contentLength  the announced length for {@link Framing#LENGTH}; 0 otherwise
 */
record RequestHead(String method, String target, String path, String query, boolean http11,
                   String[] headers, boolean keepAlive, boolean expectContinue, Framing framing,
                   long contentLength) {

    /** How a request body is delimited (RFC 9112 section 6.3). */
    enum Framing {
        /** No body. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }
}
