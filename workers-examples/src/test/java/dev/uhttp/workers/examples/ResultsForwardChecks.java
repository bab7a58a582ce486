package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uhttp.workers.examples.simple.ItemsHandler;
import dev.uhttp.workers.examples.simple.StorageWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The simple example's forward under load (issue 24): every factorial result goes to the storage pool,
 * which stores results in batches and keeps the newest {@link StorageWorker#DEFAULT_RESULTS_KEPT}; many
 * more requests than that never leave more results in the table, and {@code GET /api/items} answers a
 * page with a cursor to the next. Run against a running example ({@link ImageIT}).
 */
final class ResultsForwardChecks {
    /** Requests in flight at once. */
    private static final int CONCURRENCY = 16;

    private ResultsForwardChecks() {
    }

    static void forwardedResultsStayBoundedUnderLoad(HttpJson http) {
        int kept = StorageWorker.DEFAULT_RESULTS_KEPT;
        int requests = kept + kept / 4;
        for (int sent = 0; sent < requests; sent += CONCURRENCY) {
            List<CompletableFuture<HttpJson.Reply>> wave = new ArrayList<>();
            for (int i = 0; i < CONCURRENCY; i++) {
                wave.add(http.sendAsync("GET", "/api/compute/factorial/" + (sent + i) % 50, null, HttpJson.KEY));
            }
            wave.forEach(f -> assertEquals(200, f.join().status()));
            if (sent % 256 == 0) {
                int stored = storedResults(http);
                assertTrue(stored <= kept, stored + " results stored, more than the " + kept + " kept");
            }
        }
        // Every batch reaches the table (the last ones when the storage workers go idle), trimmed to the cap.
        await("the last batches stored").atMost(Duration.ofSeconds(30)).until(() -> storedResults(http) == kept);
    }

    static void itemsArePagedNewestFirstWithACursor(HttpJson http) {
        JsonNode first = http.get("/api/items?limit=5", HttpJson.KEY).json();
        assertEquals(5, first.path("items").size(), first::toString);
        long next = first.path("next").asLong();
        assertEquals(first.path("items").get(4).path("id").asLong(), next, "the cursor is the page's last id");
        long previous = Long.MAX_VALUE;
        for (JsonNode item : first.path("items")) {
            assertTrue(item.path("id").asLong() < previous, "newest first: " + first);
            previous = item.path("id").asLong();
        }
        JsonNode second = http.get("/api/items?limit=5&after=" + next, HttpJson.KEY).json();
        assertEquals(5, second.path("items").size(), second::toString);
        assertTrue(second.path("items").get(0).path("id").asLong() < next, "the next page starts after the cursor");
        assertEquals(ItemsHandler.DEFAULT_LIMIT, http.get("/api/items", HttpJson.KEY).json().path("items").size(),
                "a page of the default size");
        assertEquals(400, http.get("/api/items?limit=" + (ItemsHandler.MAX_LIMIT + 1), HttpJson.KEY).status());
        assertEquals(400, http.get("/api/items?after=x", HttpJson.KEY).status());
    }

    /** The forwarded results in the table, counted page by page. */
    private static int storedResults(HttpJson http) {
        int results = 0;
        String after = "";
        while (true) {
            JsonNode page = http.get("/api/items?limit=" + ItemsHandler.MAX_LIMIT + after, HttpJson.KEY).json();
            for (JsonNode item : page.path("items")) {
                results += item.path("name").asText().startsWith("result: ") ? 1 : 0;
            }
            if (page.path("next").isNull() || page.path("next").isMissingNode()) {
                return results;
            }
            after = "&after=" + page.path("next").asLong();
        }
    }
}
