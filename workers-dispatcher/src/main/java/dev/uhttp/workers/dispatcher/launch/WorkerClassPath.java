package dev.uhttp.workers.dispatcher.launch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uhttp.workers.api.Worker;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.worker.WorkerMain;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path of worker JVMs when the toolkit was not loaded by the JVM's own class loader, as
 * under {@code mvn exec:java} (a class realm of Maven's, while {@code java.class.path} holds only
 * Maven's launcher jar). It is derived from where the code actually came from: the URLs of the class
 * loaders that loaded the toolkit and the context class loader (under {@code exec:java}: the project's
 * classes and every runtime dependency), then the code sources of the worker runtime, the api, the IPC
 * SPI and providers and jackson, in case a loader does not list its URLs.
 */
final class WorkerClassPath {

    private WorkerClassPath() {
    }

    /** True when the toolkit came from the JVM's own class path or module path (then those are used as given). */
    static boolean systemLoaded() {
        return WorkerLauncher.class.getClassLoader() == ClassLoader.getSystemClassLoader()
                || WorkerLauncher.class.getModule().isNamed();
    }

    /** The derived class path, entries separated by the platform's separator; empty when none is known. */
    static String derived() {
        Set<String> entries = new LinkedHashSet<>();
        urls(WorkerLauncher.class.getClassLoader(), entries);
        urls(Thread.currentThread().getContextClassLoader(), entries);
        for (Class<?> c : toolkit()) {
            String location = location(c);
            if (location != null) {
                entries.add(location);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Why worker JVMs could not load {@code type} with {@code classPath} (in one line naming what to do
     * instead), or null when they can.
     */
    static String problem(Class<?> type, String classPath) {
        if (systemLoaded()) {
            return null;
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        String location = location(type);
        if (location == null) {
            return "cannot launch worker JVMs for " + type.getName() + ": its class loader ("
                    + type.getClassLoader() + ") gives no file it came from ("
                    + (source == null ? "no code source" : source.getLocation()) + "); start the dispatcher with"
                    + " java -cp <jars> or java -p <jars> -m <module>/<main class> (or from a jlink image) instead";
        }
        List<String> entries = new ArrayList<>(List.of(classPath == null ? new String[0] : classPath.split(File.pathSeparator)));
        if (!entries.contains(location)) {
            return "cannot launch worker JVMs for " + type.getName() + ": it comes from " + location
                    + ", which its class loader (" + type.getClassLoader() + ") does not list; start the dispatcher"
                    + " with java -cp <jars> or java -p <jars> -m <module>/<main class> (or from a jlink image) instead";
        }
        return null;
    }

    /** The classes worker JVMs need besides the user's: their code sources go on the derived class path. */
    static List<Class<?>> toolkit() {
        List<Class<?>> classes = new ArrayList<>(List.of(WorkerMain.class, Worker.class, IpcProvider.class,
                ObjectMapper.class, JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class));
        for (IpcProvider p : IpcProviders.all()) {
            classes.add(p.getClass());
        }
        return classes;
    }

    private static void urls(ClassLoader loader, Set<String> entries) {
        if (loader instanceof URLClassLoader urlLoader && loader != ClassLoader.getSystemClassLoader()) {
            for (URL url : urlLoader.getURLs()) {
                String file = file(url);
                if (file != null) {
                    entries.add(file);
                }
            }
        }
    }

    /** The jar or directory {@code type} was loaded from, as an absolute path; null if not a local file. */
    static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : file(source.getLocation());
    }

    private static String file(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
