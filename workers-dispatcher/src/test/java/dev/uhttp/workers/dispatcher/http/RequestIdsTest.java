package dev.uhttp.workers.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which client ids are kept, and that new ones are unique, also across servers (processes). */
class RequestIdsTest {

    @Test
    void saneClientIdsAreKeptOthersReplaced() {
        RequestIds ids = new RequestIds();
        for (String sane : new String[] {"a", "0f8fad5b-d9cb-469f-a165-70867728950e", "x.y_z:1-2", "A".repeat(128)}) {
            assertEquals(sane, ids.take(sane));
        }
        for (String insane : new String[] {null, "", "A".repeat(129), "a b", "a\"b", "a,b", "é", "a\u0000", "a/b"}) {
            String id = ids.take(insane);
            assertNotEquals(insane, id);
            assertTrue(RequestIds.isSane(id), id);
        }
    }

    @Test
    void newIdsAreUniqueWithinAndAcrossServers() {
        Set<String> seen = new HashSet<>();
        for (int s = 0; s < 3; s++) {
            RequestIds ids = new RequestIds();
            for (int i = 0; i < 10_000; i++) {
                assertTrue(seen.add(ids.next()));
            }
        }
    }

    @Test
    void anIdWrittenFromItsNumberIsTheStringItRendersTo() {
        RequestIds ids = new RequestIds();
        for (long n : new long[] {1, 9, 15, 16, 255, 256, 0x123456789abcdefL, Long.MAX_VALUE, -1}) {
            assertEquals(ids.render(n), ids.text(n).toString());
        }
        assertEquals(ids.render(1), ids.next());
    }
}
