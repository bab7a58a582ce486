package dev.uhttp.workers.worker.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParserTest {

    @Test
    void multiValuedInOrder() {
        assertEquals(Map.of("tag", List.of("a", "b", "c"), "page", List.of("2")),
                QueryParser.parse("tag=a&page=2&tag=b&tag=c"));
    }

    @Test
    void percentDecodingAndPlusAsSpace() {
        assertEquals(Map.of("q", List.of("hello world & more"), "name", List.of("Zoë")),
                QueryParser.parse("q=hello+world%20%26+more&name=Zo%C3%AB"));
        assertEquals(Map.of("a b", List.of("1+1")), QueryParser.parse("a+b=1%2B1"));
    }

    @Test
    void flagsEmptyValuesAndEmptyPairs() {
        assertEquals(Map.of("flag", List.of(""), "x", List.of(""), "y", List.of("=1")),
                QueryParser.parse("flag&&x=&y==1&=skipped"));
        assertEquals(Map.of(), QueryParser.parse(""));
        assertEquals(Map.of(), QueryParser.parse(null));
    }

    @Test
    void malformedEscapesAreKept() {
        assertEquals(Map.of("p", List.of("100%", "%zz", "%4")), QueryParser.parse("p=100%&p=%zz&p=%4"));
    }
}
