package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The storage pool's worker. Unlike the reference's example (a dictionary per worker process, so that
 * two workers disagree), the items live in one SQLite database file shared by every worker of the
 * pool: WAL mode lets readers and a writer work at once, and the busy timeout makes a writer wait for
 * another instead of failing. Each worker process opens its own connection in {@link #setup()}.
 *
 * <p>The routes are in {@link ItemsHandler}, an {@link ApiHandler} listed by {@link #handlers()}.
 *
 * <p>Settings ({@code WorkerPool.kwarg}): {@value #DATABASE} (required), the database file's path.
 */
public class StorageWorker extends Worker {
    /** The kwarg with the database file's path. */
    public static final String DATABASE = "database";
    /** How long a statement waits for another connection's write lock before failing, in milliseconds. */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private Connection db;

    @Override
    public List<Class<? extends ApiHandler<?>>> handlers() {
        return List.of(ItemsHandler.class);
    }

    @Override
    public void setup() throws Exception {
        Object file = kwargs().get(DATABASE);
        if (!(file instanceof String path) || path.isBlank()) {
            throw new IllegalStateException("the storage pool needs the kwarg '" + DATABASE + "': the database file");
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        db = config.createConnection("jdbc:sqlite:" + path);
        // Idempotent: every worker of the pool runs it, possibly at the same moment.
        try (Statement s = db.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS items ("
                    + "id INTEGER PRIMARY KEY AUTOINCREMENT, "
                    + "name TEXT NOT NULL)");
        }
        // The worker API has no teardown hook: close on JVM exit, which checkpoints the WAL into the file.
        Connection connection = db;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(connection), "storage-close"));
        log.info("storage worker {} using {}", workerId(), path);
    }

    /** This worker's connection (the pool's default concurrency of 1: one thread uses it). */
    Connection db() {
        return db;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // exiting anyway
        }
    }
}
