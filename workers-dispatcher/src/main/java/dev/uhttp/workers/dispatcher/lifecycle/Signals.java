package dev.uhttp.workers.dispatcher.lifecycle;

/** The process signals a dispatcher run by {@code run()} answers. */
final class Signals {
    private Signals() {
    }

    /**
     * SIGTERM and SIGINT call {@code onSignal} (a graceful shutdown that ends with exit status 0); where
     * the JVM does not let us handle them, a shutdown hook calls {@code fallback} instead.
     */
    static void onTermination(Runnable onSignal, Runnable fallback) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> onSignal.run());
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> onSignal.run());
        } catch (IllegalArgumentException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(fallback, "uhttp-dispatcher-shutdown"));
        }
    }

    /** SIGUSR1 calls {@code onSignal} (reopen the access log, as nginx), where the platform has it. */
    static void onUser1(Runnable onSignal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> onSignal.run());
        } catch (IllegalArgumentException | LinkageError e) {
            // No SIGUSR1 here (or the JVM keeps it): reopenAccessLog() remains.
        }
    }

    /** SIGHUP calls {@code onSignal} (a rolling reload), where the platform has it. */
    static void onHangup(Runnable onSignal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> onSignal.run());
        } catch (IllegalArgumentException | LinkageError e) {
            // No SIGHUP here (Windows): reload() remains.
        }
    }
}
