package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's command line (nothing is started here: only the paths that end before listening). */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaults() {
        Main.Options o = Main.Options.parse();
        assertEquals("simple", o.example());
        assertEquals(8080, o.port());
        assertEquals("127.0.0.1", o.address());
        assertNull(o.ipc(), "the toolkit chooses: workers.ipc, WORKERS_IPC, else the best available");
        assertNull(o.dataDir());
    }

    @Test
    void everyOptionInBothSpellings() {
        Main.Options o = Main.Options.parse("--example", "simple", "--port", "0", "--address", "::1", "--ipc", "pipe",
                "--data-dir", "/tmp/x");
        assertEquals(new Main.Options("simple", 0, "::1", "pipe", Path.of("/tmp/x"), PoolOptions.NONE, -1, List.of(), false, LogOptions.NONE, ScaleOutOptions.NONE), o);
        Main.Options p = Main.Options.parse("--port=9000", "--ipc=unixsocket", "--data-dir=data", "--address=0.0.0.0",
                "--max-requests=1000", "--max-requests-jitter", "100", "--max-age=3600", "--spares", "1",
                "--admin-port", "9090", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy=::1");
        assertEquals(new Main.Options("simple", 9000, "0.0.0.0", "unixsocket", Path.of("data"),
                new PoolOptions(1000, 100, 3600, 1), 9090, List.of("10.0.0.0/8", "::1"), false, LogOptions.NONE,
                ScaleOutOptions.NONE), p);
        Main.Options l = Main.Options.parse("--access-log", "/var/log/x.log", "--access-log-format=json",
                "--slow-request-ms", "250");
        assertEquals(new LogOptions(Path.of("/var/log/x.log"), dev.uhttp.workers.dispatcher.AccessLogFormat.JSON, 250), l.logs());
        Main.Options c = Main.Options.parse("--redis", "redis://u:p@10.1.1.1:6379", "--node=a", "--reuse-port",
                "--lame-duck-ms", "3000");
        assertEquals(new ScaleOutOptions("redis://u:p@10.1.1.1:6379", "a", true, 3000), c.scaleOut());
    }

    @Test
    void badArguments() {
        for (String[] args : new String[][] {
                {"--port", "x"}, {"--port", "-1"}, {"--port", "65536"}, {"--port"}, {"--ipc", "tcp"},
                {"--example", "other"}, {"--address", ""}, {"--data-dir="}, {"--nope"}, {"simple"}, {"--help=yes"},
                {"--max-requests", "-1"}, {"--spares", "x"}, {"--max-age="}, {"--admin-port", "70000"},
                {"--trusted-proxy="}, {"--access-log="}, {"--access-log-format", "apache"},
                {"--slow-request-ms", "-5"}, {"--redis", "http://x"}, {"--node="}, {"--lame-duck-ms", "soon"},
                {"--reuse-port=maybe"}}) {
            assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(args), String.join(" ", args));
        }
    }

    @Test
    void badArgumentsPrintTheUsageOnStderrAndExitTwo() {
        assertEquals(2, run("--port", "eighty"));
        assertTrue(err().startsWith("workers-example: --port must be a number"), err());
        assertTrue(err().contains("Usage: workers-example"), err());
        assertEquals("", out());
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndExitsZero() {
        assertEquals(0, run("--port", "1", "--help"));
        assertTrue(out().startsWith("Usage: workers-example [-h] [--reuse-port]"), out());
        for (String option : new String[] {"--redis=URI", "--node=NAME", "--reuse-port", "--lame-duck-ms=N", "--ipc=NAME"}) {
            assertTrue(out().contains(option), option + " in " + out());
        }
        assertEquals("", err());
    }

    @Test
    void theSseExampleReportsAPortInUseAndExitsOne() throws java.io.IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(1, run("--example", "sse", "--port", Integer.toString(taken.getLocalPort())));
        }
        assertTrue(err().startsWith("workers-example: cannot start"), err());
        assertEquals("", out());
    }
}
