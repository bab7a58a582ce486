package dev.uhttp.workers.examples.simple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The compute results a storage worker was forwarded, stored in batches and capped: one transaction
 * inserts up to {@link #BATCH} of them (or whatever a second has gathered) and, in the same
 * transaction, deletes all but the newest {@code kept} results of the whole table, so the stored
 * results never exceed the cap whatever the load. One SQLite transaction per batch instead of one per
 * result is what keeps the forward cheap. The worker also stores what is pending before it reads the
 * table, and when it is idle. Used on the worker's loop thread only (concurrency 1).
 *
 * <p>Results still pending when a worker crashes are lost: the forward is fire-and-forget anyway.
 */
final class ResultBatch {
    /** A forwarded result is an item whose name starts with this. */
    static final String PREFIX = "result: ";
    /** The most results one transaction inserts. */
    static final int BATCH = 100;
    /** The longest a result waits for its batch while results keep coming (idle workers flush sooner). */
    static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int kept;
    private final List<String> pending = new ArrayList<>();
    private long firstPendingAt;

    /** Keeps the newest {@code kept} results. */
    ResultBatch(int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("results kept must be at least 1, got " + kept);
        }
        this.kept = kept;
    }

    /** Queues one result (its item name), stored at once when the batch is full or old enough. */
    void add(Connection db, String name, long nowNanos) throws SQLException {
        if (pending.isEmpty()) {
            firstPendingAt = nowNanos;
        }
        pending.add(name);
        if (pending.size() >= BATCH || nowNanos - firstPendingAt >= MAX_DELAY_NANOS) {
            flush(db);
        }
    }

    int pending() {
        return pending.size();
    }

    /** Stores what is pending and trims the results to the cap, in one transaction; returns how many were stored. */
    int flush(Connection db) throws SQLException {
        if (pending.isEmpty()) {
            return 0;
        }
        int stored = pending.size();
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO items (name) VALUES (?)");
             PreparedStatement trim = db.prepareStatement("DELETE FROM items WHERE name LIKE '" + PREFIX + "%' AND id <= "
                     + "(SELECT id FROM items WHERE name LIKE '" + PREFIX + "%' ORDER BY id DESC LIMIT 1 OFFSET ?)")) {
            for (String name : pending) {
                insert.setString(1, name);
                insert.addBatch();
            }
            insert.executeBatch();
            trim.setInt(1, kept);
            trim.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            pending.clear();
            db.setAutoCommit(autoCommit);
        }
        return stored;
    }
}
