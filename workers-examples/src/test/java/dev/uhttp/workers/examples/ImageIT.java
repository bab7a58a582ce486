package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The jlink image ({@code target/image}, made by {@code mvn package}): what it contains, its launcher's
 * arguments, and every route of the simple example with each IPC provider.
 */
class ImageIT {

    /** Runs {@code command} to its end; returns exit status, stdout and stderr. */
    static String[] run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        // One thread per stream: the common pool may have a single thread, and a full pipe would block the child.
        CompletableFuture<String> out = new CompletableFuture<>();
        CompletableFuture<String> err = new CompletableFuture<>();
        new Thread(() -> out.complete(read(p.getInputStream())), "image-stdout").start();
        new Thread(() -> err.complete(read(p.getErrorStream())), "image-stderr").start();
        int status = p.onExit().get(60, TimeUnit.SECONDS).exitValue();
        return new String[] {Integer.toString(status), out.get(), err.get()};
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static String launcher() {
        return Artifacts.image().resolve("bin/workers-example").toString();
    }

    @Test
    void imageHoldsOurModulesAndOnlyTheJdkModulesTheyNeed() throws Exception {
        String[] r = run(List.of(Artifacts.image().resolve("bin/java").toString(), "--list-modules"));
        assertEquals("0", r[0], r[2]);
        Set<String> modules = new HashSet<>();
        for (String line : r[1].split("\\R")) {
            if (!line.isBlank()) {
                modules.add(line.strip().split("@")[0]);
            }
        }
        assertTrue(modules.containsAll(Set.of("uhttp.workers.examples", "uhttp.workers.dispatcher", "uhttp.workers.worker",
                "uhttp.workers.api", "uhttp.workers.ipc.spi", "uhttp.workers.ipc.pipe", "uhttp.workers.ipc.unixsocket",
                "uhttp.workers.cluster.redis", "info.picocli", "org.xerial.sqlitejdbc", "com.fasterxml.jackson.databind", "java.base", "jdk.net",
                "jdk.unsupported")), modules::toString);
        for (String unwanted : List.of("java.desktop", "jdk.compiler", "java.net.http", "jdk.jlink", "jdk.jdwp.agent")) {
            assertFalse(modules.contains(unwanted), unwanted + " in " + modules);
        }
    }

    @Test
    void theSpiModuleCarriesItsOwnCodecAndNoMsgpackCore() throws Exception {
        String java = Artifacts.image().resolve("bin/java").toString();
        String[] r = run(List.of(java, "--describe-module", "uhttp.workers.ipc.spi"));
        assertEquals("0", r[0], r[2]);
        assertFalse(r[1].contains("automatic"), r[1]);
        assertFalse(r[1].contains("msgpack"), r[1]);
        assertFalse(r[1].contains("jdk.unsupported"), r[1]);
        String[] all = run(List.of(java, "--list-modules"));
        assertFalse(all[1].contains("msgpack"), all[1]);
    }

    @Test
    void helpGoesToStdoutWithStatusZero() throws Exception {
        String[] r = run(List.of(launcher(), "--help"));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("Usage: workers-example"), r[1]);
        assertTrue(r[2].isEmpty(), r[2]);
    }

    @Test
    void badArgumentsGiveTheUsageOnStderrWithStatusTwo() throws Exception {
        for (List<String> args : List.of(List.of("--port", "http"), List.of("--bogus"), List.of("--ipc", "carrier-pigeon"),
                List.of("--port"))) {
            List<String> command = new ArrayList<>(List.of(launcher()));
            command.addAll(args);
            String[] r = run(command);
            assertEquals("2", r[0], () -> args + ": " + r[2]);
            assertTrue(r[2].contains("Usage: workers-example"), r[2]);
            assertTrue(r[1].isEmpty(), r[1]);
        }
    }

    @Nested
    class Pipe extends ImageRun {
        @Override
        String ipc() {
            return "pipe";
        }

        /** Once, not per IPC: the forward's cost does not depend on it. */
        @Test
        void forwardedResultsStayBoundedUnderLoadAndItemsArePaged() {
            ResultsForwardChecks.forwardedResultsStayBoundedUnderLoad(http);
            ResultsForwardChecks.itemsArePagedNewestFirstWithACursor(http);
        }
    }

    @Nested
    class UnixSocket extends ImageRun {
        @Override
        String ipc() {
            return "unixsocket";
        }
    }
}
