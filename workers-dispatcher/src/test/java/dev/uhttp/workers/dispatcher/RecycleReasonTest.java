package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.worker.encoding.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A recycle reason keeps the text it had as a String in the status JSON and the log. */
class RecycleReasonTest {

    @Test
    void eachReasonHasItsText() {
        Map<RecycleReason, String> texts = Map.of(
                RecycleReason.MAX_REQUESTS, "max-requests",
                RecycleReason.MAX_AGE, "max-age",
                RecycleReason.MAX_MEMORY, "max-memory",
                RecycleReason.RELOAD, "reload",
                RecycleReason.RESIZE, "resize",
                RecycleReason.RETIRED, "retired");
        assertEquals(RecycleReason.values().length, texts.size(), "every reason is checked here");
        texts.forEach((reason, text) -> assertEquals(text, reason.text()));
    }

    @Test
    void theStatusSerialisesTheText() throws Exception {
        PoolStatus.WorkerStatus leaving = new PoolStatus.WorkerStatus(1, 42, true, true, false, 0.5, List.of(), 0,
                WorkerRole.DRAINING, false, RecycleReason.MAX_REQUESTS, 0, 0, 10, -1);
        PoolStatus.WorkerStatus staying = new PoolStatus.WorkerStatus(2, 43, true, true, false, 0.5, List.of(), 0,
                WorkerRole.ACTIVE, false, null, 0, 0, 10, -1);
        String json = Json.mapper().writeValueAsString(new PoolStatus("p", false, 0, 0, false, List.of(leaving, staying)));
        var workers = Json.mapper().readTree(json).get("workers");
        assertEquals("max-requests", workers.get(0).get("recycleReason").asText());
        assertEquals(true, workers.get(1).get("recycleReason").isNull());
        assertEquals("draining", workers.get(0).get("role").asText(), "a role is its text, as before it was an enum");
        assertEquals("active", workers.get(1).get("role").asText());
    }
}
