package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.internal.ErrorTexts;
import java.nio.charset.StandardCharsets;

/** The JSON error answers of the dispatcher and its engine: {@code {"error": "..."}}. */
public final class JsonErrors {
    /** The headers of a JSON error answer. */
    public static final String[] HEADERS = {"Content-Type", "application/json"};

    /** The text of a 500 whose cause is not shown: the same in the dispatcher, its engine and the workers. */
    public static final String INTERNAL_SERVER_ERROR = ErrorTexts.INTERNAL_SERVER_ERROR;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonErrors() {
    }

    /** {@code {"error": message}}, with every control character escaped, without a JSON library. */
    public static byte[] body(String message) {
        StringBuilder sb = new StringBuilder(message.length() + 16).append("{\"error\":\"");
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                // backslash-u-0-0-hex-hex, spelled out (no Formatter, no locale)
                sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
