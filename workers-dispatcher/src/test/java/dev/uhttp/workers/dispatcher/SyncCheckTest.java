package dev.uhttp.workers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.api.RejectRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code doCheckSync}: the auth hook for sync routes, off unless overridden (as in the reference). */
class SyncCheckTest {

    /** Sync routes open to all: doCheck covers pool routes only. */
    public static class Open extends Dispatcher {
        @Override
        protected void doCheck(Exchange client) {
            client.respond(401, Map.of("error", "pools need a key"));
            throw new RejectRequest();
        }

        @LoopRoute("/admin/info")
        public void info(Exchange client) {
            client.respond(Map.of("info", 1));
        }
    }

    /** Sync routes need {@code x-admin: yes}. */
    public static class Checked extends Open {
        @Override
        protected void doCheckSync(Exchange client) {
            if (!"yes".equals(client.header("x-admin"))) {
                client.respond(403, Map.of("error", "forbidden"));
                throw new RejectRequest();
            }
        }
    }

    /** A check that fails unexpectedly: 500, the handler never runs. */
    public static class Broken extends Open {
        @Override
        protected void doCheckSync(Exchange client) {
            throw new IllegalStateException("boom");
        }
    }

    private static int status(Dispatcher d, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/admin/info"));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static Dispatcher started(Dispatcher d) {
        return d.address("127.0.0.1").port(0).classDataArchives(null).start();
    }

    @Test
    void offByDefault() throws Exception {
        Dispatcher d = started(new Open());
        try {
            assertEquals(200, status(d));
        } finally {
            d.stop();
        }
    }

    @Test
    void aSyncRouteRefusedByDoCheckSync() throws Exception {
        Dispatcher d = started(new Checked());
        try {
            assertEquals(403, status(d));
            assertEquals(200, status(d, "x-admin", "yes"));
        } finally {
            d.stop();
        }
    }

    @Test
    void aFailingCheckIs500() throws Exception {
        Dispatcher d = started(new Broken());
        try {
            assertEquals(500, status(d));
        } finally {
            d.stop();
        }
    }
}
