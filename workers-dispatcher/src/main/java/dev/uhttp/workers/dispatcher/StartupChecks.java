package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.dispatcher.launch.WorkerLauncher;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.worker.WorkerMain;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;

/**
 * What {@link DispatcherBuilder#build()} checks, before a port is bound or a worker launched, so that a
 * mistake in a user's setup is one line naming the fix instead of a worker that fails over and over:
 * worker classes that the worker runtime cannot construct or call (not public, no public no-argument
 * constructor, a package not open to {@code uhttp.workers.worker}), {@code @LoopRoute} methods that the
 * dispatcher cannot call (a package not open to {@code uhttp.workers.dispatcher}), listeners that are
 * not configured, body limits that contradict each other, an unknown IPC provider and no provider at all.
 *
 * <p>Each failure is an {@link IllegalArgumentException} (an {@link IllegalStateException} when no
 * provider is found) whose message is that one line. A {@code main}-style helper
 * ({@link DispatcherBuilder#runMain()}, {@link Dispatcher#runMain()}) logs it and exits with {@value #EXIT_STATUS}.
 */
final class StartupChecks {
    /** The exit status of the {@code runMain} helpers when the configuration fails its checks. */
    static final int EXIT_STATUS = 2;

    private StartupChecks() {
    }

    /** The checks of the pools and the IPC provider, in the order a user would fix them. */
    static void check(List<WorkerPool> pools, String ipcName) {
        poolNames(pools);
        for (WorkerPool pool : pools) {
            workerClass(pool);
            fileRoots(pool);
        }
        WorkerLauncher.checkLaunchable(pools);
        IpcProviders.select(ipcName);
    }

    /**
     * Logs a failed check's one line as CRITICAL (through {@code onLog} when set, else standard error)
     * and exits the JVM with {@value #EXIT_STATUS}: only the {@code runMain} helpers call this.
     */
    static void exit(RuntimeException failure, Hooks.LogHook onLog) {
        String line = oneLine(failure);
        if (onLog != null) {
            onLog.log("dispatcher", dev.uhttp.workers.api.LogLevel.CRITICAL, line);
        } else {
            LogOutput.standardError().write("dispatcher", dev.uhttp.workers.api.LogLevel.CRITICAL, line);
        }
        System.exit(EXIT_STATUS);
    }

    /**
     * Streamed bodies fit the pool's limits ({@code pools} resolved by {@code build()}): a pool that streams bodies over a size can stream one of
     * that size, and no body size falls between the buffered limit and the streaming threshold (it
     * would be refused 413 by neither setting's intent).
     */
    static void bodyLimits(List<WorkerPool> pools, long maxContentLength) {
        for (WorkerPool pool : pools) {
            // build() hands resolved pools; resolving again is a no-op (the default is capped at maxContentLength)
            long over = pool.resolved(maxContentLength).streamBodiesOver().getAsLong();
            if (over == Long.MAX_VALUE) {
                continue;
            }
            if (pool.maxStreamedBodySize() <= over) {
                throw new IllegalArgumentException("pool '" + pool.name() + "': maxStreamedBodySize("
                        + pool.maxStreamedBodySize() + ") must be above streamBodiesOver(" + over
                        + "), or no body could stream; raise maxStreamedBodySize");
            }
            if (over > maxContentLength) {
                throw new IllegalArgumentException("pool '" + pool.name() + "': streamBodiesOver(" + over
                        + ") is above the dispatcher's maxContentLength(" + maxContentLength + "): bodies in between"
                        + " would be refused 413; lower streamBodiesOver or raise maxContentLength");
            }
        }
    }

    /** Every listener a pool, a static route, a loop route or the metrics route is limited to exists. */
    static void listeners(java.util.Collection<String> named, List<WorkerPool> pools,
                          java.util.Map<String, List<String>> limited) {
        Set<String> known = new java.util.HashSet<>(named);
        known.add(dev.uhttp.workers.dispatcher.http.HttpServer.DEFAULT_LISTENER);
        for (WorkerPool p : pools) {
            unknownListener(known, p.listeners(), "pool '" + p.name() + "'");
        }
        limited.forEach((what, names) -> unknownListener(known, names, what));
    }

    private static void unknownListener(Set<String> known, List<String> names, String what) {
        for (String n : names) {
            if (!known.contains(n)) {
                throw new IllegalArgumentException(what + " is limited to listener '" + n + "', which is not configured:"
                        + " add dispatcher.listener(\"" + n + "\", address, port)");
            }
        }
    }

    /** Pool names are unique (they name pools in logs, status and {@code pool(name)}); one fallback at most. */
    static void poolNames(List<WorkerPool> pools) {
        Set<String> names = new java.util.HashSet<>();
        int fallbacks = 0;
        for (WorkerPool p : pools) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two pools are named '" + p.name() + "': give one a name()");
            }
            fallbacks += p.isFallback() ? 1 : 0;
        }
        if (fallbacks > 1) {
            throw new IllegalArgumentException("more than one pool without routes: only one fallback pool is possible");
        }
    }

    /** A pool's file roots exist and are directories. */
    static void fileRoots(WorkerPool pool) {
        for (java.nio.file.Path root : pool.fileRoots()) {
            dev.uhttp.workers.dispatcher.staticfiles.FileRoots.realDirectory(root, "pool '" + pool.name() + "': fileRoots directory");
        }
    }

    static String oneLine(RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The worker class: public, concrete, a public no-argument constructor, its package open to the runtime. */
    static void workerClass(WorkerPool pool) {
        Class<?> type = pool.workerClass();
        String what = "worker class " + type.getName() + " of pool '" + pool.name() + "'";
        // Reflection checks the class's own modifiers (a public nested class of a package-private one is fine).
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException(what + " must be public");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(what + " must not be abstract");
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            throw new IllegalArgumentException(what + " must be a static nested class (or a top-level one)");
        }
        try {
            if (!Modifier.isPublic(type.getConstructor().getModifiers())) {
                throw new NoSuchMethodException();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(what + " needs a public no-argument constructor");
        }
        Module runtime = WorkerMain.class.getModule();
        if (!type.getModule().isExported(type.getPackageName(), runtime)) {
            throw new IllegalArgumentException(what + " is in package " + type.getPackageName()
                    + ", which module " + type.getModule().getName() + " does not open to the worker runtime: add '"
                    + opens(type.getPackageName(), runtime) + "' to its module-info.java");
        }
    }

    /**
     * Every {@code @LoopRoute} method: an instance method taking one {@link Exchange}, on a public class
     * whose package the dispatcher may call into.
     */
    static void loopRouteMethods(Class<? extends Dispatcher> dispatcherClass) {
        Module dispatcherModule = Dispatcher.class.getModule();
        for (Method m : dispatcherClass.getMethods()) {
            if (m.getAnnotation(LoopRoute.class) == null) {
                continue;
            }
            Class<?> owner = m.getDeclaringClass();
            String what = "@LoopRoute method " + owner.getName() + "." + m.getName();
            if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != Exchange.class
                    || Modifier.isStatic(m.getModifiers())) {
                throw new IllegalArgumentException(what + " must be an instance method taking one Exchange");
            }
            // What Method.invoke from the dispatcher's package needs: a public class (or the same runtime package).
            boolean samePackage = owner.getPackageName().equals(Dispatcher.class.getPackageName())
                    && owner.getClassLoader() == Dispatcher.class.getClassLoader();
            if (samePackage) {
                continue;
            }
            if (!Modifier.isPublic(owner.getModifiers())) {
                throw new IllegalArgumentException(what + " cannot be called by the dispatcher: make "
                        + owner.getName() + " public");
            }
            if (!owner.getModule().isExported(owner.getPackageName(), dispatcherModule)) {
                throw new IllegalArgumentException(what + " cannot be called by the dispatcher: module "
                        + owner.getModule().getName() + " does not open package " + owner.getPackageName()
                        + " to it; add '" + opens(owner.getPackageName(), dispatcherModule) + "' to its module-info.java");
            }
        }
    }

    private static String opens(String packageName, Module to) {
        return "opens " + packageName + " to " + to.getName() + ";";
    }
}
