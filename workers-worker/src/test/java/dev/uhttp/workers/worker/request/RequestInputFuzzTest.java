package dev.uhttp.workers.worker.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes what a worker parses from a request: the query string, the {@code Cookie} header, and the
 * body as text (charset from {@code Content-Type}) and as JSON. The query and cookie parsers never
 * throw; a body that is not JSON is {@link InvalidBodyException} and nothing else.
 *
 * <p>Without {@code JAZZER_FUZZ} these replay the inputs under
 * {@code src/test/resources/dev/uhttp/workers/worker/request/RequestInputFuzzTestInputs/<method>/}.
 */
class RequestInputFuzzTest {

    private static WorkerRequest request(String query, String[] headers, byte[] body) {
        return new WorkerRequest(1, "POST", "/", query, headers, body, "127.0.0.1", 1, false);
    }

    /** The input is the raw query string (as the dispatcher forwards it, ISO-8859-1 bytes). */
    @FuzzTest(maxDuration = "5m")
    void query(byte[] input) {
        String q = new String(input, StandardCharsets.ISO_8859_1);
        Map<String, List<String>> parsed = QueryParser.parse(q);
        for (Map.Entry<String, List<String>> e : parsed.entrySet()) {
            assertFalse(e.getKey().isEmpty(), "empty name");
            assertFalse(e.getValue().isEmpty(), "name without values");
        }
        assertEquals(parsed, request(q, null, null).query());
        // decoding is idempotent on text without escapes
        String plain = QueryParser.decode(q);
        if (plain.indexOf('%') < 0 && plain.indexOf('+') < 0) {
            assertEquals(plain, QueryParser.decode(plain));
        }
    }

    /** The input is a {@code Cookie} header value. */
    @FuzzTest(maxDuration = "5m")
    void cookies(byte[] input) {
        String header = new String(input, StandardCharsets.ISO_8859_1);
        Map<String, String> parsed = CookieParser.parse(header);
        for (Map.Entry<String, String> e : parsed.entrySet()) {
            assertFalse(e.getKey().isEmpty() || e.getKey().indexOf(';') >= 0 || e.getKey().indexOf('=') >= 0,
                    "bad cookie name " + e.getKey());
            assertNotNull(e.getValue());
        }
        assertEquals(parsed, request("", new String[] {"Cookie", header}, null).cookies());
    }

    /** The input is a {@code Content-Type} value, a newline, then the body. */
    @FuzzTest(maxDuration = "5m")
    void body(byte[] input) {
        int nl = 0;
        while (nl < input.length && input[nl] != '\n') {
            nl++;
        }
        String contentType = new String(input, 0, nl, StandardCharsets.ISO_8859_1);
        byte[] body = nl < input.length ? java.util.Arrays.copyOfRange(input, nl + 1, input.length) : new byte[0];
        WorkerRequest r = request("", new String[] {"Content-Type", contentType}, body);
        assertNotNull(r.text());
        try {
            r.json();
        } catch (InvalidBodyException expected) {
            // not JSON: the declared outcome
        }
    }
}
