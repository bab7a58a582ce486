package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every kind of setting (int, long, Duration, path or pattern, port, text), set with a bad value on the
 * builder or on a pool, fails in the setter itself, before anything is built, with one line in one
 * wording that names the setting: {@code "<setting> must be <what>, got <value>"}.
 */
class SettingChecksTest {
    private static final Pattern WORDING = Pattern.compile("[^\\n]+ must (be|not be) [^\\n]+, got [^\\n]*");

    public static final class Idle extends Worker {
    }

    @Test
    void theBuildersSettersRefuseBadValuesInOneWording() {
        DispatcherBuilder b = DispatcherConfig.builder();
        // int
        refused("maxPending must be at least 1, got 0", () -> b.maxPending(0));
        refused("maxRequestLine must be at least 1, got 0", () -> b.maxRequestLine(0));
        refused("maxHeaderBytes must be at least 1, got -5", () -> b.maxHeaderBytes(-5));
        refused("maxHeaders must be at least 1, got 0", () -> b.maxHeaders(0));
        refused("maxRequestsPerConnection must be at least 1, got 0", () -> b.maxRequestsPerConnection(0));
        refused("maxConnections must be at least 1, got 0", () -> b.maxConnections(0));
        // long
        refused("maxContentLength must be from 0 to 2147483639, got -1", () -> b.maxContentLength(-1));
        refused("maxContentLength must be from 0 to 2147483639, got " + Long.MAX_VALUE,
                () -> b.maxContentLength(Long.MAX_VALUE));
        refused("maxStreamBuffer must be at least 2, got 1", () -> b.maxStreamBuffer(1));
        // Duration
        refused("keepAliveTimeout must be positive, got PT0S", () -> b.keepAliveTimeout(Duration.ZERO));
        refused("headerTimeout must be positive, got null", () -> b.headerTimeout(null));
        refused("idleInterval must be positive, got PT-1S", () -> b.idleInterval(Duration.ofSeconds(-1)));
        refused("shutdownTimeout must be zero or positive, got PT-1S", () -> b.shutdownTimeout(Duration.ofSeconds(-1)));
        refused("lameDuck must be zero or positive, got null", () -> b.lameDuck(null));
        // path or pattern
        refused("metricsRoute must be a path starting with '/', got 'metrics'", () -> b.metricsRoute("metrics"));
        refused("readinessRoute must be a path starting with '/', got null", () -> b.readinessRoute(null));
        refused("staticRoute prefix must be a path starting with '/', got 'static/'",
                () -> b.staticRoute("static/", Path.of(".")));
        refused("loop route pattern must be a path starting with '/', got 'health'", () -> b.get("health", ex -> { }));
        // port
        refused("port must be from 0 to 65535, got 65536", () -> b.port(65536));
        refused("httpsPort must be from 0 to 65535, got -1", () -> b.httpsPort(-1));
        refused("listener port must be from 0 to 65535, got 70000", () -> b.listener("admin", "127.0.0.1", 70000));
        // text and values
        refused("address must not be blank, got ' '", () -> b.address(" "));
        refused("nodeName must not be blank, got ''", () -> b.nodeName(""));
        refused("listener name must be new, not blank and not 'default', got 'default'",
                () -> b.listener("default", "127.0.0.1", 0));
        refused("logLevel must be given, got null", () -> b.logLevel(null));
        refused("pool must be given, got null", () -> b.pool((WorkerPool) null));
        refused("static route header X must be one line, got 'a\\r\\nb'",
                () -> StaticOptions.defaults().header("X", "a\r\nb"));
        refused("accessLog capacity must be at least 1, got 0", () -> AccessLogSink.lines(line -> { }).capacity(0));
        refused("trusted proxy must be an IP address or CIDR range (e.g. 10.0.0.0/8, ::1), got '10.0.0.0/33'",
                () -> b.trustedProxies("127.0.0.1", "10.0.0.0/33"));
    }

    @Test
    void aPoolsSettersRefuseBadValuesInTheSameWording() {
        WorkerPool p = WorkerPool.of(Idle.class);
        // int
        refused("workers must be at least 1, got 0", () -> p.workers(0));
        refused("concurrency must be at least 1, got 0", () -> p.concurrency(0));
        refused("maxRestarts must be at least 0, got -1", () -> p.maxRestarts(-1));
        refused("queueWarning must be at least 0, got -1", () -> p.queueWarning(-1));
        refused("spares must be at least 0, got -2", () -> p.spares(-2));
        refused("reloadBatch must be at least 1, got 0", () -> p.reloadBatch(0));
        refused("permanentFailureExitCode must be from 1 to 127, got 200", () -> p.permanentFailureExitCode(200));
        // long
        refused("maxRequests must be at least 0, got -1", () -> p.maxRequests(-1));
        refused("maxRequestsJitter must be at least 0, got -1", () -> p.maxRequestsJitter(-1));
        refused("maxMemory must be at least 0, got -1", () -> p.maxMemory(-1));
        refused("streamBodiesOver must be at least 0, got -1", () -> p.streamBodiesOver(-1));
        refused("maxStreamedBodySize must be at least 1, got 0", () -> p.maxStreamedBodySize(0));
        // Duration
        refused("timeout must be positive, got PT0S", () -> p.timeout(Duration.ZERO));
        refused("stuckTimeout must be positive, got null", () -> p.stuckTimeout(null));
        refused("heartbeatInterval must be positive, got PT-1S", () -> p.heartbeatInterval(Duration.ofSeconds(-1)));
        refused("startupTimeout must be positive, got PT0S", () -> p.startupTimeout(Duration.ZERO));
        refused("restartWindow must be positive, got PT0S", () -> p.restartWindow(Duration.ZERO));
        refused("slowRequestThreshold must be positive, got PT0S", () -> p.slowRequestThreshold(Duration.ZERO));
        refused("drainTimeout must be positive, got PT0S", () -> p.drainTimeout(Duration.ZERO));
        refused("recoveryInterval must be positive, got PT0S", () -> p.recoveryInterval(Duration.ZERO));
        refused("maxAge must be positive, got PT0S", () -> p.maxAge(Duration.ZERO, Duration.ZERO));
        // path
        refused("pool route must be a path starting with '/', got 'api/**'", () -> p.routes("/ok", "api/**"));
        // text and values
        refused("name must not be blank, got ''", () -> p.name(""));
        refused("logName must not be blank, got null", () -> p.logName(null));
        refused("listener name must not be blank, got ' '", () -> p.listeners(" "));
        refused("jvm option must not be blank, got ''", () -> p.jvmOptions(""));
        refused("kwarg name must not be blank, got ''", () -> p.kwarg("", 1));
        refused("logLevel must be given, got null", () -> p.logLevel(null));
        refused("file root must be given, got null", () -> p.fileRoots((Path) null));
    }

    private static void refused(String expected, Executable setter) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setter, expected);
        assertTrue(e.getMessage().equals(expected), "expected <" + expected + "> but was <" + e.getMessage() + ">");
        assertTrue(WORDING.matcher(e.getMessage()).matches(), "one line, one wording: " + e.getMessage());
    }
}
