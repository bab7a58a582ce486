package dev.uhttp.workers.dispatcher.http;

import java.security.SecureRandom;

/**
 * Request ids ({@code X-Request-Id}): the client's when it is sane, else a new one. A new one is this
 * server's random prefix (64 bits, drawn once at startup, so ids from different processes and runs do
 * not collide) and a counter: unique, and one small string per request, with no random numbers drawn on
 * the loop. Loop thread.
 */
final class RequestIds {
    /** The longest client-supplied id kept. */
    static final int MAX_LENGTH = 128;

    private final String prefix;
    private long counter;

    RequestIds() {
        prefix = String.format("%016x", new SecureRandom().nextLong()) + "-";
    }

    /** {@code fromClient} when sane, else a new id. */
    String take(String fromClient) {
        return isSane(fromClient) ? fromClient : next();
    }

    String next() {
        return prefix + Long.toHexString(++counter);
    }

    /** 1 to {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 . _ : -}. */
    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
