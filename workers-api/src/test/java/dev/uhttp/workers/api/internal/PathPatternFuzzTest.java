package dev.uhttp.workers.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzzes route patterns and the paths matched against them. The input is a pattern, a newline, then a
 * path (UTF-8). Invariants: compiling fails only with {@link IllegalArgumentException}; matching never
 * throws; a pattern without parameters matches its own text; ordering is antisymmetric and
 * consistent with equality of source.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the inputs under
 * {@code src/test/resources/dev/uhttp/workers/api/internal/PathPatternFuzzTestInputs/compileAndMatch/}.
 */
class PathPatternFuzzTest {
    private static final PathPattern[] OTHERS = {
        PathPattern.compile("/"), PathPattern.compile("/a/{id:int}"), PathPattern.compile("/a/{x}"),
        PathPattern.compile("/a/b"), PathPattern.compile("/{f:float}/{s:str}"),
    };

    @FuzzTest(maxDuration = "5m")
    void compileAndMatch(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String source = nl < 0 ? text : text.substring(0, nl);
        String path = nl < 0 ? "/" : text.substring(nl + 1);
        PathPattern p;
        try {
            p = PathPattern.compile(source);
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertEquals(source, p.source());
        Map<String, Object> params = p.match(path);
        if (params != null) {
            params.values().forEach(v -> assertTrue(v instanceof String || v instanceof Integer || v instanceof Double,
                    "parameter of type " + v.getClass()));
        }
        if (source.indexOf('{') < 0) {
            assertNotNull(p.match(source), "a literal pattern matches its own text: " + source);
        }
        assertEquals(0, p.compareTo(p));
        for (PathPattern o : OTHERS) {
            assertEquals(Integer.signum(p.compareTo(o)), -Integer.signum(o.compareTo(p)), source + " vs " + o);
        }
    }
}
