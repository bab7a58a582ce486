package dev.uhttp.workers.worker.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CookieParserTest {

    @Test
    void simplePairs() {
        assertEquals(Map.of("a", "1", "b", "2"), CookieParser.parse("a=1; b=2"));
    }

    @Test
    void spacesAroundPairsAndNoSpaces() {
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), CookieParser.parse("  a = 1 ;b=2;c=3  "));
    }

    @Test
    void quotedValuesAreUnquoted() {
        assertEquals(Map.of("q", "hello world", "e", ""), CookieParser.parse("q=\"hello world\"; e=\"\""));
    }

    @Test
    void valuesMayContainEquals() {
        assertEquals(Map.of("token", "abc==", "x", "a=b"), CookieParser.parse("token=abc==; x=a=b"));
    }

    @Test
    void malformedPairsAreSkipped() {
        assertEquals(Map.of("ok", "1", "good", "2"), CookieParser.parse("garbage; =novalue; ok=1;; bad name=x; good=2"));
    }

    @Test
    void firstValueOfARepeatedNameWins() {
        assertEquals(Map.of("a", "first"), CookieParser.parse("a=first; a=second"));
    }

    @Test
    void missingHeader() {
        assertEquals(Map.of(), CookieParser.parse(null));
        assertEquals(Map.of(), CookieParser.parse("  "));
    }
}
