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
    private final StringBuilder text = new StringBuilder(40);

    RequestIds() {
        prefix = String.format("%016x", new SecureRandom().nextLong()) + "-";
    }

    /** {@code fromClient} when sane, else a new id. */
    String take(String fromClient) {
        return isSane(fromClient) ? fromClient : next();
    }

    String next() {
        return render(nextNumber());
    }

    /** The next new id as a number: rendered only where it is needed ({@link #render}, {@link #text}). */
    long nextNumber() {
        return ++counter;
    }

    String render(long n) {
        return prefix + Long.toHexString(n);
    }

    /**
     * The id for {@code ex}'s response head: a new one is written from its number, and made a string
     * only if asked for later ({@link Http1Exchange#requestId}, the same id).
     */
    CharSequence forHead(Http1Exchange ex) {
        if (ex.requestId == null && ex.idNumber == 0) {
            String fromClient = ex.header("X-Request-Id"); // looked up once: kept when sane
            if (isSane(fromClient)) {
                ex.requestId = fromClient;
            } else {
                ex.idNumber = nextNumber();
            }
        }
        return ex.requestId != null ? ex.requestId : text(ex.idNumber);
    }

    /** Id {@code n}'s text in a reused builder, no string made (a response head's): valid until the next call. */
    CharSequence text(long n) {
        text.setLength(0);
        text.append(prefix);
        for (int shift = (63 - Long.numberOfLeadingZeros(n | 1)) & ~3; shift >= 0; shift -= 4) {
            text.append(Character.forDigit((int) (n >>> shift) & 0xf, 16));
        }
        return text;
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
