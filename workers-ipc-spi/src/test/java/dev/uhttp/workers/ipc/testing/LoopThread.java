package dev.uhttp.workers.ipc.testing;

import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The dispatcher side of a test: a {@link SelectorLoop} running on its own thread. */
public final class LoopThread implements AutoCloseable {

    public final SelectorLoop loop;
    /** What the loop reported (handler, task and timer failures); tests expect none. */
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public LoopThread() throws IOException {
        loop = new SelectorLoop((level, logger, message, args) -> errors.add(new AssertionError(
                dev.uhttp.workers.api.Logger.format(message, args),
                args.length > 0 && args[args.length - 1] instanceof Throwable t ? t : null)));
        thread = new Thread(this::run, "test-dispatcher-loop");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        loop.bindToCurrentThread();
        while (running) {
            try {
                loop.runOnce(1000);
            } catch (IOException | RuntimeException e) {
                errors.add(e);
            }
        }
        loop.close();
    }

    /** Runs {@code task} on the loop thread and returns its result. */
    public <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("the loop did not run the task", e);
        }
    }

    /** Runs {@code task} on the loop thread and waits for it. */
    public void run(Callable<?> task) throws Exception {
        call(task);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.wakeup();
        thread.join(10_000);
    }
}
