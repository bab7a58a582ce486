package dev.uhttp.workers.dispatcher.accesslog;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where access log lines go and how they look, as the user set them.
 *
 * @param file     the file lines are appended to, or null
 * @param lines    the callback that gets each line (without its newline), or null
 * @param json     one JSON object per line; else nginx's {@code combined}
 * @param capacity lines that may wait for the writer thread before new ones are dropped
 */
public record AccessLogSettings(Path file, Consumer<String> lines, boolean json, int capacity) {
    public AccessLogSettings {
        if ((file == null) == (lines == null)) {
            throw new IllegalArgumentException("an access log goes to a file or to a callback");
        }
    }
}
