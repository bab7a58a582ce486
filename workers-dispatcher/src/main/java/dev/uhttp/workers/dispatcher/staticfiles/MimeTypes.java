package dev.uhttp.workers.dispatcher.staticfiles;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Content types by file extension; text types carry {@code charset=utf-8}. */
public final class MimeTypes {
    /** The type for unknown extensions. */
    public static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> TYPES = new HashMap<>();

    static {
        String utf8 = "; charset=utf-8";
        put("text/html" + utf8, "html", "htm");
        put("text/css" + utf8, "css");
        put("text/javascript" + utf8, "js", "mjs", "cjs");
        put("application/json" + utf8, "json", "map", "webmanifest");
        put("text/plain" + utf8, "txt", "text", "log", "md");
        put("text/csv" + utf8, "csv");
        put("application/xml" + utf8, "xml");
        put("image/svg+xml" + utf8, "svg");
        put("image/png", "png");
        put("image/jpeg", "jpg", "jpeg");
        put("image/gif", "gif");
        put("image/webp", "webp");
        put("image/avif", "avif");
        put("image/x-icon", "ico");
        put("application/wasm", "wasm");
        put("font/woff2", "woff2");
        put("font/woff", "woff");
        put("font/ttf", "ttf");
        put("font/otf", "otf");
        put("application/pdf", "pdf");
        put("application/zip", "zip");
        put("application/gzip", "gz");
        put("audio/mpeg", "mp3");
        put("video/mp4", "mp4");
        put("video/webm", "webm");
    }

    private MimeTypes() {
    }

    private static void put(String type, String... extensions) {
        for (String e : extensions) {
            TYPES.put(e, type);
        }
    }

    /** The content type for {@code fileName} (only its extension matters), or {@link #DEFAULT}. */
    public static String forName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        if (dot < 0 || dot < slash || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String type = TYPES.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? DEFAULT : type;
    }

    /** The content type for {@code file}'s name. */
    public static String forPath(Path file) {
        Path name = file.getFileName();
        return name == null ? DEFAULT : forName(name.toString());
    }
}
