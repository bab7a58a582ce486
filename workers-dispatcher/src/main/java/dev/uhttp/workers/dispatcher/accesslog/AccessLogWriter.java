package dev.uhttp.workers.dispatcher.accesslog;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.LogSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes access log lines on a daemon thread of its own, so the loop never waits for a disk or a
 * callback: the loop {@link #offer}s a line to a bounded queue and goes on; when the queue is full the
 * line is dropped and counted ({@link #dropped}). The queue is lock-free (a writer thread preempted
 * while it takes lines can never make the loop wait for a lock); the writer parks when it runs dry and
 * the next line unparks it. Lines are written through a buffer, flushed whenever
 * the queue runs empty. {@link #reopen} (SIGUSR1) closes and reopens the file by its path, as nginx
 * does for logrotate: after the file was moved away, lines go to a new file at the path.
 */
final class AccessLogWriter implements Runnable {
    private static final int BATCH = 256;

    private final AccessLogSettings settings;
    private static final long IDLE_PARK_NANOS = 100_000_000L;

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    /** Lines in {@link #queue}: bounded by the settings' capacity. */
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final LogSink log;
    private volatile boolean reopen;
    private volatile boolean closing;
    private BufferedWriter out;
    private Thread thread;

    /** @param log told (ERROR, from the writer thread) when the file cannot be written or the callback fails */
    AccessLogWriter(AccessLogSettings settings, LogSink log) {
        this.settings = settings;
        this.capacity = Math.max(1, settings.capacity());
        this.log = log;
    }

    private void problem(String what, Exception e) {
        log.log(LogLevel.ERROR, AccessLog.LOGGER, "{}: {}", what, e);
    }

    /** Opens the file (so a path that cannot be written fails at startup) and starts the thread. */
    void start() throws IOException {
        if (settings.file() != null) {
            out = open();
        }
        thread = new Thread(this, "uhttp-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** Loop thread: queues {@code line}, or drops and counts it when the queue is full. Never blocks. */
    void offer(String line) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(line);
        if (parked.get() && parked.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** Any thread: the file is reopened by its path before the next line is written. */
    void reopen() {
        reopen = true;
        LockSupport.unpark(thread);
    }

    /** Writes what is queued, then ends the thread (waits up to {@code millis}). */
    void close(long millis) {
        closing = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        List<String> batch = new ArrayList<>(BATCH);
        while (true) {
            if (reopen) {
                reopen = false;
                reopenFile();
            }
            String line;
            while (batch.size() < BATCH && (line = queue.poll()) != null) {
                batch.add(line);
            }
            if (!batch.isEmpty()) {
                queued.addAndGet(-batch.size());
                write(batch);
                batch.clear();
                continue;
            }
            flush(); // ran dry: what was written reaches the file now
            if (closing || Thread.currentThread().isInterrupted()) {
                break;
            }
            parked.set(true);
            if (queue.isEmpty() && !reopen && !closing) { // a line offered before the flag was set is seen here
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            parked.set(false);
        }
        closeFile();
    }

    private void write(List<String> batch) {
        if (out == null && settings.file() == null) {
            for (String line : batch) {
                try {
                    settings.lines().accept(line);
                } catch (RuntimeException e) {
                    problem("access log callback failed", e);
                }
            }
            return;
        }
        try {
            if (out == null) {
                out = open(); // the last open failed: try again
            }
            for (String line : batch) {
                out.write(line);
                out.write('\n');
            }
        } catch (IOException e) {
            dropped.addAndGet(batch.size());
            problem("cannot write the access log " + settings.file(), e);
            closeFile();
        }
    }

    private void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                problem("cannot write the access log " + settings.file(), e);
                closeFile();
            }
        }
    }

    private void reopenFile() {
        if (settings.file() == null) {
            return;
        }
        flush();
        closeFile();
        try {
            out = open();
        } catch (IOException e) {
            problem("cannot reopen the access log " + settings.file(), e);
        }
    }

    private BufferedWriter open() throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(settings.file(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8),
                64 * 1024);
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // lost with the file
            }
            out = null;
        }
    }
}
