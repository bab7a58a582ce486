package dev.uhttp.workers.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * README.md's user project, replayed as a user would: built with Maven (offline, against the artifacts
 * this build installed into its local repository), then run on the class path, on the module path,
 * with {@code mvn exec:java} and as its own jlink image through the documented entry point. Each run
 * answers a request through a worker with 200, and SIGTERM ends it with status 0 and no worker left.
 * An image without a provider and a module without its {@code opens} lines fail at startup with one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeProjectIT {
    private static final Pattern LISTENING = Pattern.compile("dispatcher: listening on \\S+:(\\d+) \\(");
    private static final List<String> PUBLISHED = List.of("workers-api", "workers-ipc-spi", "workers-worker",
            "workers-dispatcher", "workers-ipc-unixsocket");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Path project;
    private Path repository;

    @BeforeAll
    void buildTheProjectAsAUserWould() throws Exception {
        repository = Path.of(System.getProperty("readme.repository"));
        for (String artifact : PUBLISHED) {
            String jar = artifact + "-" + Artifacts.version() + ".jar";
            Path installed = repository.resolve("dev/uhttp/workers").resolve(artifact).resolve(Artifacts.version()).resolve(jar);
            Assumptions.assumeTrue(Files.isRegularFile(installed)
                            && Files.mismatch(installed, Artifacts.libDirectory().resolve(jar)) == -1,
                    () -> "README's project builds against this build's artifacts in " + repository
                            + ": run mvn install (README's test command), not only verify");
        }
        project = Path.of("target/readme-project").toAbsolutePath();
        delete(project);
        for (String file : ReadmeProject.FILES) {
            Path target = project.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(ReadmeProject.sources().resolve(file), target);
        }
        Result build = runToEnd("build", List.of("mvn", "-B", "-ntp", "-q", "-o", "-Dmaven.repo.local=" + repository,
                "package"), 300);
        assertEquals(0, build.status, build.output);
        try (Stream<Path> lib = Files.list(project.resolve("target/lib"))) {
            assertTrue(lib.noneMatch(p -> p.getFileName().toString().startsWith("msgpack")),
                    "msgpack-core is inside workers-ipc-spi, not a dependency of its own");
        }
    }

    @Test
    void classPath() throws Exception {
        servesThenStopsOnSigterm("class-path", List.of(Artifacts.java(), "-cp",
                "target/app-1.0.jar" + File.pathSeparator + "target/lib/*", "app.Main"));
    }

    @Test
    void modulePath() throws Exception {
        servesThenStopsOnSigterm("module-path", List.of(Artifacts.java(), "-p",
                "target/app-1.0.jar" + File.pathSeparator + "target/lib", "-m", "app/app.Main"));
    }

    @Test
    void mavenExecJava() throws Exception {
        servesThenStopsOnSigterm("exec-java", List.of("mvn", "-B", "-ntp", "-q", "-o",
                "-Dmaven.repo.local=" + repository, "compile", "exec:java"));
    }

    @Test
    void itsOwnImageThroughTheDocumentedEntryPoint() throws Exception {
        String log = servesThenStopsOnSigterm("image", ReadmeProject.entryPoint(image()));
        assertFalse(log.contains("sun.misc.Unsafe"), log);
    }

    /** The Dockerfile's entry point as PID 1 of its own PID namespace, as in a container (where unshare works). */
    @Test
    void itsOwnImageAsPid1() throws Exception {
        Result probe = runToEnd("unshare-probe", List.of("unshare", "--pid", "--fork", "--mount-proc", "sh", "-c", "echo $$"), 30);
        Assumptions.assumeTrue(probe.status == 0 && probe.output.strip().equals("1"), "unshare --pid is not permitted here");
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        command.addAll(ReadmeProject.entryPoint(image()));
        servesThenStopsOnSigterm("image-pid1", command);
    }

    private synchronized Path image() throws Exception {
        Path image = project.resolve("target/image");
        if (!Files.isExecutable(image.resolve("bin/java"))) {
            Result jlink = runToEnd("jlink", List.of("bash", "-c", ReadmeProject.jlinkCommand()), 300);
            assertEquals(0, jlink.status, jlink.output);
        }
        return image;
    }

    @Test
    void anImageWithoutAProviderFailsAtStartupNamingTheModulesToAdd() throws Exception {
        String command = ReadmeProject.jlinkCommand().replace(",uhttp.workers.ipc.unixsocket", "")
                .replace("--output target/image", "--output target/image-no-provider");
        Result jlink = runToEnd("jlink-no-provider", List.of("bash", "-c", command), 300);
        assertEquals(0, jlink.status, jlink.output);
        Result run = runToEnd("image-no-provider", ReadmeProject.entryPoint(project.resolve("target/image-no-provider")), 60);
        assertStartupFailure(run, "uhttp.workers.ipc.unixsocket", "uhttp.workers.ipc.pipe", "--add-modules");
    }

    @Test
    void aModuleWithoutItsOpensLinesFailsAtStartupNamingTheLineToAdd() throws Exception {
        Path variant = project.resolve("target/no-opens");
        delete(variant);
        List<String> sources = new ArrayList<>();
        for (String file : ReadmeProject.FILES) {
            if (file.endsWith(".java")) {
                Path to = variant.resolve("src").resolve(file);
                Files.createDirectories(to.getParent());
                String text = Files.readString(project.resolve(file));
                if (file.endsWith("module-info.java")) {
                    text = text.lines().filter(l -> !l.strip().startsWith("opens ")).reduce("", (a, b) -> a + b + "\n");
                }
                Files.writeString(to, text);
                sources.add(to.toString());
            }
        }
        List<String> javac = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-p", "target/lib", "-d", variant.resolve("classes").toString()));
        javac.addAll(sources);
        Result compiled = runToEnd("javac-no-opens", javac, 120);
        assertEquals(0, compiled.status, compiled.output);
        Result run = runToEnd("no-opens", List.of(Artifacts.java(), "-p",
                variant.resolve("classes") + File.pathSeparator + "target/lib", "-m", "app/app.Main"), 60);
        assertStartupFailure(run, "opens app.workers to uhttp.workers.worker;", "app.workers.HelloWorker");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertStartupFailure(Result run, String... expected) {
        assertEquals(2, run.status, run.output);
        List<String> lines = run.output.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.output);
        for (String e : expected) {
            assertTrue(lines.get(0).contains(e), () -> e + " in " + run.output);
        }
    }

    /** Starts {@code command}, gets 200 through a worker, sends SIGTERM: exit 0, no worker left. Returns its log. */
    private String servesThenStopsOnSigterm(String name, List<String> command) throws Exception {
        Path log = logFile(name);
        Process process = processBuilder(command, log).start();
        List<ProcessHandle> workers = new ArrayList<>();
        try {
            int port = await("the listening line in " + log).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        assertTrue(process.isAlive(), () -> "exited early: " + ReadmeProject.read(log));
                        Matcher m = LISTENING.matcher(ReadmeProject.read(log));
                        return m.find() ? Integer.parseInt(m.group(1)) : -1;
                    }, p -> p > 0);
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello/bob"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), reply::body);
            assertEquals("{\"name\":\"bob\"}", reply.body());
            await("two worker JVMs").atMost(Duration.ofSeconds(60)).until(() -> {
                workers.clear();
                process.descendants().filter(ExampleProcess::isWorkerJvm).forEach(workers::add);
                return workers.size() >= 2;
            });
            // SIGTERM to the entry point: the process itself, or the JVM that unshare runs as PID 1.
            ProcessHandle entry = command.get(0).equals("unshare")
                    ? process.toHandle().children().findFirst().orElseThrow() : process.toHandle();
            entry.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stops after SIGTERM");
            assertEquals(0, process.exitValue(), () -> ReadmeProject.read(log));
            await("no worker left").atMost(Duration.ofSeconds(30))
                    .until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
            return ReadmeProject.read(log);
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private record Result(int status, String output) {
    }

    private Result runToEnd(String name, List<String> command, int seconds) throws Exception {
        Path log = logFile(name);
        Process process = processBuilder(command, log).start();
        try {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), () -> name + " within " + seconds + " s");
            String output = ReadmeProject.read(log);
            return new Result(process.exitValue(), output.substring(output.indexOf('\n') + 1));
        } finally {
            process.destroyForcibly();
        }
    }

    private ProcessBuilder processBuilder(List<String> command, Path log) throws IOException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n");
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        String javaHome = System.getProperty("java.home");
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("PATH", Path.of(javaHome, "bin") + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("PORT", "0");
        pb.environment().put("XDG_CACHE_HOME", project.resolve("target/cache").toString());
        pb.environment().remove("WORKERS_IPC");
        return pb;
    }

    private static Path logFile(String name) throws IOException {
        Path logs = Path.of(System.getProperty("examples.logs", "target/it-logs"));
        Files.createDirectories(logs);
        return logs.resolve("readme-" + name + ".log").toAbsolutePath();
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
