package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
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
 *   <li>{@code GET /api/items}: {@code {"items": [{"id": 1, "name": "..."}, ...]}}, oldest first;</li>
 *   <li>{@code POST /api/items} with {@code {"name": "..."}}: 201 {@code {"id": n, "name": "..."}};</li>
 *   <li>{@code GET /api/item/{id}}: the item, or 404;</li>
 *   <li>{@code DELETE /api/item/{id}}: {@code {"deleted": id}}, or 404.</li>
 * </ul>
 */
@Api("/api")
public class ItemsHandler extends ApiHandler<StorageWorker> {
    /** The longest item name accepted, in characters. */
    public static final int MAX_NAME = 10_000;

    @Api(value = "/items", methods = "GET")
    public Object list(Request request) throws SQLException {
        List<Map<String, Object>> items = new ArrayList<>();
        try (Statement s = worker().db().createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name FROM items ORDER BY id")) {
            while (rs.next()) {
                items.add(item(rs.getLong(1), rs.getString(2)));
            }
        }
        return reply(200, Map.of("items", items));
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
        try (PreparedStatement s = worker().db().prepareStatement(
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
        try (PreparedStatement s = worker().db().prepareStatement("SELECT id, name FROM items WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? reply(200, item(rs.getLong(1), rs.getString(2))) : notFound(id);
            }
        }
    }

    @Api(value = "/item/{id:int}", methods = "DELETE")
    public Object delete(Request request) throws SQLException {
        int id = request.intParam("id");
        try (PreparedStatement s = worker().db().prepareStatement("DELETE FROM items WHERE id = ?")) {
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
