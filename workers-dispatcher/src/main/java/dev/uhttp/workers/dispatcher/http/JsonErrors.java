package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.internal.ErrorTexts;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

/** The JSON error answers of the dispatcher and its engine: {@code {"error": "..."}}. */
public final class JsonErrors {
    /** The headers of a JSON error answer. */
    public static final String[] HEADERS = {"Content-Type", "application/json"};

    /** The text of a 500 whose cause is not shown: the same in the dispatcher, its engine and the workers. */
    public static final String INTERNAL_SERVER_ERROR = ErrorTexts.INTERNAL_SERVER_ERROR;

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private JsonErrors() {
    }

    /** {@code {"error": message}}. */
    public static byte[] body(String message) {
        StringBuilder sb = new StringBuilder(message.length() + 16).append("{\"error\":");
        quote(sb, message);
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends {@code value} as a JSON string, quotes included: the dispatcher's one JSON string escaper
     * (error bodies, the JSON access log), Jackson's encoder ({@code "}, {@code \\} and control characters
     * escaped; DEL and non-ASCII as they are, which JSON allows). A lone surrogate, which no UTF-8 text can
     * carry, becomes U+FFFD.
     */
    public static void quote(StringBuilder b, String value) {
        b.append('"');
        ENCODER.quoteAsString(wellFormed(value), b);
        b.append('"');
    }

    private static CharSequence wellFormed(String s) {
        int i = 0;
        while (i < s.length() && !Character.isSurrogate(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s; // the usual case: nothing to look at
        }
        StringBuilder fixed = new StringBuilder(s.length()).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                fixed.append(c).append(s.charAt(++i));
            } else {
                fixed.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return fixed;
    }
}
