package dev.uhttp.workers.worker.runtime;

import java.util.Optional;

/**
 * A daemon thread that halts the JVM when the process that launched it is gone (it died, and the
 * worker was re-parented). Closing the channel normally ends a worker, but a handler stuck on the loop
 * thread never sees that; this catches a dispatcher killed with SIGKILL even then, so no worker JVM
 * is ever orphaned.
 */
final class ParentWatchdog implements Runnable {
    private final long parentPid;
    private volatile long intervalMillis;

    private ParentWatchdog(long parentPid, long intervalMillis) {
        this.parentPid = parentPid;
        this.intervalMillis = intervalMillis;
    }

    /** Starts watching the current parent, checking every {@code intervalMillis}; null when there is none. */
    static ParentWatchdog start(long intervalMillis) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return null;
        }
        ParentWatchdog watchdog = new ParentWatchdog(parent.get().pid(), intervalMillis);
        Thread t = new Thread(watchdog, "uhttp-worker-parent-watchdog");
        t.setDaemon(true);
        t.start();
        return watchdog;
    }

    /** Checks every {@code millis} from the next check on (the heartbeat interval, once known). */
    void interval(long millis) {
        intervalMillis = Math.max(10, millis);
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            Optional<ProcessHandle> parent = ProcessHandle.current().parent();
            if (parent.isEmpty() || parent.get().pid() != parentPid || !parent.get().isAlive()) {
                // halt, not exit: shutdown hooks could wait on the stuck thread this exists to get past
                Runtime.getRuntime().halt(1);
            }
        }
    }
}
