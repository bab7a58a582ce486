package dev.uhttp.workers.cluster.redis;

/** Bytes from the server that are not RESP, or past the decoder's limits. */
final class RespException extends Exception {
    private static final long serialVersionUID = 1L;

    RespException(String message) {
        super(message);
    }
}
