package dev.uhttp.workers.examples.simple;

import dev.uhttp.workers.dispatcher.DispatcherBuilder;
import dev.uhttp.workers.dispatcher.DispatcherConfig;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Puts the simple example together: a compute pool of 4 workers, a storage pool of 2 sharing one
 * SQLite file, the demo page under {@code /static/}, and a directory of files the compute workers hand
 * back to the dispatcher ({@code GET /api/compute/file/{name}}).
 *
 * <pre>{@code
 * SimpleExample.createFiles(filesDir);
 * SimpleExample.dispatcher(staticDir, dataDir.resolve("items.db"), filesDir)
 *         .port(8080).address("127.0.0.1")
 *         .build()
 *         .run();   // until SIGTERM / SIGINT
 * }</pre>
 */
public final class SimpleExample {
    /** The files of the demo page, below this package's {@code static/} resource directory. */
    public static final List<String> STATIC_FILES = List.of("index.html", "app.js", "style.css", "metrics.js",
            "uPlot.iife.min.js", "uPlot.min.css", "uPlot-LICENSE.txt");
    /** The database file's name in the data directory. */
    public static final String DATABASE_FILE = "items.db";
    /** The files {@link #createFiles} makes: a greeting, a CSV table and 1 MiB of pseudo-random bytes. */
    public static final List<String> GENERATED_FILES = List.of("hello.txt", "squares.csv", "random-1mib.bin");

    private SimpleExample() {
    }

    /**
     * The dispatcher's configuration with both pools and {@link SimpleDispatcher#routes}, serving
     * {@code staticDir} at {@code /static/}, keeping items in {@code database}, and letting the compute
     * workers hand back files from {@code filesDir} (its only file root).
     */
    public static DispatcherBuilder dispatcher(Path staticDir, Path database, Path filesDir) {
        return SimpleDispatcher.routes(DispatcherConfig.builder()).pool(
                WorkerPool.of(ComputeWorker.class)
                        .name(SimpleDispatcher.COMPUTE)
                        .workers(4)
                        .routes("/api/compute/**")
                        .timeout(Duration.ofSeconds(60))
                        .fileRoots(filesDir)
                        .kwarg(ComputeWorker.FILES, filesDir.toAbsolutePath().toString()),
                WorkerPool.of(StorageWorker.class)
                        .name(SimpleDispatcher.STORAGE)
                        .workers(2)
                        .routes("/api/items/**", "/api/item/**")
                        .timeout(Duration.ofSeconds(10))
                        .jvmOptions(enableNativeAccess())
                        .kwarg(StorageWorker.DATABASE, database.toAbsolutePath().toString()))
                .staticRoute("/static/", staticDir)
                .metricsRoute("/metrics"); // Prometheus scrapes it; the demo page draws its charts from it
    }

    /**
     * The JVM option that lets sqlite-jdbc load its native library in the storage workers without the
     * restricted-method warning of JDK 24+ (JEP 472): its module when it is one (module path, image),
     * else the class path's unnamed module. JDK 17 accepts the option too.
     */
    static String enableNativeAccess() {
        Module sqlite = SQLiteConfig.class.getModule();
        return "--enable-native-access=" + (sqlite.isNamed() ? sqlite.getName() : "ALL-UNNAMED");
    }

    /** Creates {@code dir} with the {@link #GENERATED_FILES} in it (served by {@code GET /api/compute/file/{name}}). */
    public static void createFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("hello.txt"), "Hello from a file the dispatcher sent for a compute worker.\n");
        StringBuilder csv = new StringBuilder("n,square\n");
        for (int n = 1; n <= 100; n++) {
            csv.append(n).append(',').append(n * n).append('\n');
        }
        Files.writeString(dir.resolve("squares.csv"), csv);
        byte[] random = new byte[1 << 20];
        new java.util.Random(15).nextBytes(random);
        Files.write(dir.resolve("random-1mib.bin"), random);
    }

    /**
     * Copies the demo page out of this module's resources into {@code dir}, so that it is served the
     * same from a jar, from the module path and from a jlink image, whatever the working directory.
     */
    public static void extractStaticFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : STATIC_FILES) {
            try (InputStream in = SimpleExample.class.getResourceAsStream("static/" + name)) {
                if (in == null) {
                    throw new IOException("resource static/" + name + " is missing from " + SimpleExample.class.getModule());
                }
                Files.copy(in, dir.resolve(name));
            }
        }
    }
}
