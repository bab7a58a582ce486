package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The items API of the {@link StorageWorker}, grouped under the prefix {@code /api}:
 * <ul>
 *   <li>{@code GET /api/items?limit=N&after=ID}: a page, newest first, {@code {"items": [{"id": 7, "name":
 *       "..."}, ...], "next": 5}}; {@code next} (null on the last page) is the {@code after} of the next
 *       page. {@code limit} from 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT};</li>
 *   <li>{@code POST /api/items} with {@code {"name": "..."}}: 201 {@code {"id": n, "name": "..."}};</li>
 *   <li>{@code POST /api/items/results} with {@code {"name": "result: ..."}}: 202, stored with the next
 *       batch ({@link ResultBatch}), or before this worker's next read; where the compute workers
 *       forward their results;</li>
 *   <li>{@code GET /api/item/{id}}: the item, or 404;</li>
 *   <li>{@code DELETE /api/item/{id}}: {@code {"deleted": id}}, or 404.</li>
 * </ul>
 */
@Api("/api")
public class ItemsHandler extends ApiHandler<StorageWorker> {
    /** The longest item name accepted, in characters. */
    public static final int MAX_NAME = 10_000;

    /** The page size of {@code GET /api/items} without {@code limit}. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest {@code limit} accepted. */
    public static final int MAX_LIMIT = 1000;

    @Api(value = "/items", methods = "GET")
    public Object list(Request request) throws SQLException {
        long limit;
        long after;
        try {
            limit = number(request.queryParam("limit"), DEFAULT_LIMIT);
            after = number(request.queryParam("after"), Long.MAX_VALUE);
        } catch (NumberFormatException e) {
            return reply(400, Map.of("error", "limit and after are whole numbers"));
        }
        if (limit < 1 || limit > MAX_LIMIT || after < 1) {
            return reply(400, Map.of("error", "limit from 1 to " + MAX_LIMIT + ", after (an id) from 1"));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        boolean more = false;
        try (PreparedStatement s = db().prepareStatement(
                "SELECT id, name FROM items WHERE id < ? ORDER BY id DESC LIMIT ?")) {
            s.setLong(1, after);
            s.setLong(2, limit + 1); // one more says whether there is a next page
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        more = true;
                        break;
                    }
                    items.add(item(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("next", more ? items.get(items.size() - 1).get("id") : null);
        return reply(200, page);
    }

    /** A forwarded result: queued for the next batch; the compute worker does not wait for the answer. */
    @Api(value = "/items/results", methods = "POST")
    public Object result(Request request) throws SQLException {
        Object body = request.json();
        Object name = body instanceof Map<?, ?> map ? map.get("name") : null;
        if (!(name instanceof String text) || !text.startsWith(ResultBatch.PREFIX) || text.length() > MAX_NAME) {
            return reply(400, Map.of("error", "expected {\"name\": \"" + ResultBatch.PREFIX + "...\"}"));
        }
        worker().results().add(worker().db(), text, System.nanoTime());
        return reply(202, Map.of("queued", true));
    }

    /** The connection, once the results waiting for their batch are stored: a read sees every result forwarded before it. */
    private Connection db() throws SQLException {
        worker().results().flush(worker().db());
        return worker().db();
    }

    private static long number(String text, long otherwise) {
        return text == null ? otherwise : Long.parseLong(text);
    }

    @Api(value = "/items", methods = "POST")
    public Object create(Request request) throws SQLException {
        Object body = request.json();
        Object name = body instanceof Map<?, ?> map ? map.get("name") : null;
        if (!(name instanceof String text) || text.isBlank()) {
            return reply(400, Map.of("error", "expected a JSON object with a non-empty string \"name\""));
        }
        if (text.length() > MAX_NAME) {
            return reply(400, Map.of("error", "name longer than " + MAX_NAME + " characters"));
        }
        try (PreparedStatement s = db().prepareStatement(
                "INSERT INTO items (name) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, text);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                long id = keys.getLong(1);
                log().debug("item {} created", id);
                return reply(201, item(id, text)).header("Location", "/api/item/" + id);
            }
        }
    }

    @Api(value = "/item/{id:int}", methods = "GET")
    public Object get(Request request) throws SQLException {
        int id = request.intParam("id");
        try (PreparedStatement s = db().prepareStatement("SELECT id, name FROM items WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? reply(200, item(rs.getLong(1), rs.getString(2))) : notFound(id);
            }
        }
    }

    @Api(value = "/item/{id:int}", methods = "DELETE")
    public Object delete(Request request) throws SQLException {
        int id = request.intParam("id");
        try (PreparedStatement s = db().prepareStatement("DELETE FROM items WHERE id = ?")) {
            s.setInt(1, id);
            return s.executeUpdate() > 0 ? reply(200, Map.of("deleted", id)) : notFound(id);
        }
    }

    private static Map<String, Object> item(long id, String name) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("name", name);
        return item;
    }

    private Response notFound(int id) {
        return reply(404, Map.of("error", "item " + id + " not found"));
    }

    private Response reply(int status, Object data) {
        return Replies.reply(worker(), status, data);
    }
}
