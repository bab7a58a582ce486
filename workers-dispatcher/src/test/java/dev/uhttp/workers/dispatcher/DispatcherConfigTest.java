package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.Headers;
import dev.uhttp.workers.api.RejectRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The builder form: an immutable configuration, lambdas for loop routes and hooks, start() returning the handle. */
class DispatcherConfigTest {

    private static HttpResponse<String> get(RunningDispatcher d, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static DispatcherBuilder local() {
        return DispatcherConfig.builder().address("127.0.0.1").port(0).classDataArchives(null);
    }

    @Test
    void loopRoutesAndHooksAreLambdasAndStartReturnsTheRunningDispatcher() throws Exception {
        CompletableFuture<RunningDispatcher> started = new CompletableFuture<>();
        RunningDispatcher d = local()
                .get("/hello/{name}", ex -> ex.respond(Map.of("hello", ex.pathParams().get("name"),
                        "agent", ex.headers().first("user-agent") != null,
                        "same", ex.dispatcher() == started.getNow(null))))
                .post("/echo", ex -> ex.respond(201, ex.text()))
                .doCheckSync(ex -> {
                    if (ex.path().startsWith("/hello/") && "no".equals(ex.header("x-allow"))) {
                        ex.respond(403, Map.of("error", "forbidden"));
                        throw new RejectRequest();
                    }
                })
                .onStart(started::complete)
                .start();
        try {
            assertSame(d, started.get(10, TimeUnit.SECONDS), "onStart gets the handle start() returned");
            HttpResponse<String> hello = get(d, "/hello/ann");
            assertEquals(200, hello.statusCode());
            assertTrue(hello.body().contains("\"hello\":\"ann\"") && hello.body().contains("\"same\":true"), hello.body());
            assertEquals(403, get(d, "/hello/bob", "x-allow", "no").statusCode());
            assertEquals(405, get(d, "/echo").statusCode(), "GET on a POST loop route");
            assertEquals(404, get(d, "/nothing").statusCode());
            assertTrue(d.port() > 0);
        } finally {
            d.stop();
        }
        assertTrue(d.awaitStop(Duration.ofSeconds(10)));
        assertTrue(d.isStopped());
    }

    @Test
    void aConfigurationIsImmutableAndToBuilderDerivesAnother() {
        DispatcherBuilder builder = local().pool(WorkerPool.of(FrozenSettingsTest.Idle.class).name("a").routes("/a/**"));
        DispatcherConfig first = builder.build();
        builder.pool(WorkerPool.of(FrozenSettingsTest.Idle.class).name("b").routes("/b/**"));
        assertEquals(1, first.pools().size(), "building again does not change what was built");
        DispatcherConfig derived = first.toBuilder().port(9999).updatePools(p -> p.workers(3)).build();
        assertEquals(0, first.port());
        assertEquals(9999, derived.port());
        assertEquals(1, first.pools().get(0).workers());
        assertEquals(3, derived.pools().get(0).workers());
        assertNotSame(first, derived);
        assertThrows(UnsupportedOperationException.class, () -> first.pools().add(WorkerPool.of(FrozenSettingsTest.Idle.class)));
    }

    @Test
    void buildChecksTheWholeConfigurationWithOneLineNamingTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> local().get("/x", ex -> ex.respond("x"), "admin").build());
        assertEquals("loop route GET /x is limited to listener 'admin', which is not configured:"
                + " add dispatcher.listener(\"admin\", address, port)", e.getMessage());
        IllegalArgumentException https = assertThrows(IllegalArgumentException.class, () -> local().httpsPort(0).build());
        assertFalse(https.getMessage().contains("\n"));
        assertTrue(https.getMessage().contains("sslContext"), https.getMessage());
    }

    @Test
    void headersAreCaseInsensitiveMultiValuedAndImmutable() {
        Headers h = Headers.of("Accept", "text/html", "X-Id", "1", "accept", "*/*");
        assertEquals("text/html", h.first("ACCEPT"));
        assertEquals(List.of("text/html", "*/*"), h.all("accept"));
        assertEquals("text/html, */*", h.joined("Accept"));
        assertEquals(List.of("Accept", "X-Id"), h.names());
        assertEquals(3, h.size());
        assertEquals("accept", h.name(2));
        assertEquals(List.of("text/html", "*/*"), h.toMap().get("ACCEPT"));
        assertTrue(h.contains("x-id"));
        assertEquals(null, h.first("missing"));
        String[] fields = h.toArray();
        fields[1] = "changed";
        assertEquals("text/html", h.first("Accept"), "a copy goes out");
        assertThrows(IllegalArgumentException.class, () -> Headers.of("odd"));
    }
}
