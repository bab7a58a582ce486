package dev.uhttp.workers.dispatcher.pool;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A worker process that exists only in the test: it exits when killed or told to. */
final class FakeProcess extends Process {
    private static long nextPid = 1000;
    private final long pid = nextPid++;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private volatile int exitCode = -1;
    int killed;
    /** When set, the process is already ending with this status: a kill does not change it. */
    private volatile int endingWith = -1;

    /** Ends the process with {@code code} (as if it crashed or exited). */
    void exit(int code) {
        if (!exit.isDone()) {
            exitCode = code;
            exit.complete(this);
        }
    }

    /** The process has begun to exit with {@code code} but has not ended yet (a JVM running its hooks). */
    void endingWith(int code) {
        endingWith = code;
    }

    @Override
    public Process destroyForcibly() {
        killed++;
        exit(endingWith >= 0 ? endingWith : 137);
        return this;
    }

    @Override
    public void destroy() {
        destroyForcibly();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit;
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("running");
        }
        return exitCode;
    }

    @Override
    public int waitFor() {
        return exit.join().exitValue();
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public InputStream getErrorStream() {
        return new ByteArrayInputStream(new byte[0]);
    }
}
