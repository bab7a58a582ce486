package dev.uhttp.workers.ipc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A child JVM launched through an {@link IpcServer}, with its stderr captured to a file. */
public final class Child {

    public final Process process;
    public final IpcChannel channel;
    public final Path stderr;
    public final java.util.Map<String, String> environment;

    private Child(Process process, IpcChannel channel, Path stderr, java.util.Map<String, String> environment) {
        this.process = process;
        this.channel = channel;
        this.stderr = stderr;
        this.environment = environment;
    }

    public static Child launch(IpcServer server, Class<?> main, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), main.getName());
        IpcServer.Launch launch = server.prepare(pb);
        // Captured rather than inherited, to check that the child JVM printed no warnings.
        Path stderr = Files.createTempFile(dir, "child-", ".stderr");
        pb.redirectError(stderr.toFile());
        if (pb.redirectOutput() == ProcessBuilder.Redirect.INHERIT) {
            pb.redirectOutput(Files.createTempFile(dir, "child-", ".stdout").toFile());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            launch.cancel();
            throw e;
        }
        return new Child(process, launch.attach(process), stderr, pb.environment());
    }

    /** Fails when the child JVM printed any warning (e.g. JDK 24+'s about sun.misc.Unsafe). */
    public void assertNoWarnings() throws IOException {
        List<String> warnings = Files.readAllLines(stderr).stream().filter(l -> l.contains("WARNING")).toList();
        assertEquals(List.of(), warnings, "child stderr warnings");
    }
}
