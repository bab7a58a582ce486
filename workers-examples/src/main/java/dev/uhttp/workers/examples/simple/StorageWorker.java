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
 * <p>Forwarded compute results ({@code POST /api/items/results}) are stored in batches, and only the
 * newest {@value #DEFAULT_RESULTS_KEPT} are kept ({@link ResultBatch}).
 *
 * <p>Settings ({@code WorkerPool.kwarg}): {@value #DATABASE} (required), the database file's path;
 * {@value #RESULTS_KEPT}, how many forwarded results the table keeps (default {@value #DEFAULT_RESULTS_KEPT}).
 */
public class StorageWorker extends Worker {
    /** The kwarg with the database file's path. */
    public static final String DATABASE = "database";
    /** How long a statement waits for another connection's write lock before failing, in milliseconds. */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** The kwarg with how many forwarded results the table keeps. */
    public static final String RESULTS_KEPT = "resultsKept";
    /** How many forwarded results the table keeps unless {@value #RESULTS_KEPT} says otherwise. */
    public static final int DEFAULT_RESULTS_KEPT = 1000;

    private Connection db;
    private ResultBatch results;

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
        Object kept = kwargs().getOrDefault(RESULTS_KEPT, DEFAULT_RESULTS_KEPT);
        results = new ResultBatch(kept instanceof Number n ? n.intValue() : Integer.parseInt(kept.toString()));
        // Closed on JVM exit, which checkpoints the WAL into the file (teardown is skipped on a crash).
        Connection connection = db;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(connection), "storage-close"));
        log.info("storage worker {} using {}", workerId(), path);
    }

    /** Stores the results still waiting for their batch when there is nothing else to do. */
    @Override
    public void onIdle() throws SQLException {
        results.flush(db);
    }

    @Override
    public void teardown() throws SQLException {
        results.flush(db);
    }

    /** This worker's connection (the pool's default concurrency of 1: one thread uses it). */
    Connection db() {
        return db;
    }

    /** The forwarded results waiting for their batch. */
    ResultBatch results() {
        return results;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // exiting anyway
        }
    }
}
