package dev.uhttp.workers.dispatcher.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Memory a client can make the server hold: announced bodies, pipelined output. */
class HttpBufferLimitsTest {

    private static long bodyBuffers(ServerFixture f, boolean count) {
        return f.onLoop(() -> {
            long n = 0;
            for (HttpConnection c : f.server.connectionsSnapshot()) {
                int cap = c.requestBodyCapacity();
                n += count ? (cap > 0 ? 1 : 0) : cap;
            }
            return n;
        });
    }

    @Test
    void announcedBodiesAreNotAllocatedBeforeTheirBytesArrive() throws Exception {
        int size = 3_000_000;
        try (ServerFixture f = new ServerFixture(HttpLimits.builder().maxContentLength(8 << 20).build())) {
            List<RawClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    RawClient c = new RawClient(f.port());
                    held.add(c);
                    if (i % 2 == 0) {
                        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\nabc");
                    } else {
                        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(size) + "\r\nabc");
                    }
                }
                await().until(() -> bodyBuffers(f, true) == 20);
                long total = bodyBuffers(f, false);
                assertTrue(total <= 20L * RequestParser.INITIAL_BODY_BUFFER,
                        "20 connections that sent 3 body bytes each hold " + total + " bytes of body buffers");

                // the bodies still arrive whole once their bytes come
                byte[] rest = TestHandler.pattern(size - 3);
                String expected = "abc" + new String(rest, StandardCharsets.ISO_8859_1);
                RawClient plain = held.get(0);
                plain.send(rest);
                RawClient.Response r = plain.read();
                assertEquals(200, r.status);
                assertEquals(expected, r.json().get("body").asText());
                RawClient chunked = held.get(1);
                chunked.send(rest);
                chunked.send("\r\n0\r\n\r\n");
                r = chunked.read();
                assertEquals(200, r.status);
                assertEquals(expected, r.json().get("body").asText());
            } finally {
                for (RawClient c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void pipelinedOutputOverTheCapPausesDispatchingUntilTheClientReads() throws Exception {
        int size = 2_000_000;
        int n = 32; // maxPipelined: without the output cap all 32 answers (64 MB) would be held at once
        try (ServerFixture f = new ServerFixture(HttpLimits.builder().maxStreamBuffer(256 * 1024).build());
             Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", f.port()), 10_000);
            String req = ("GET /big?size=" + size + " HTTP/1.1\r\nHost: t\r\n\r\n").repeat(n);
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            // reading stops (or, without an output cap, everything gets dispatched)
            await().until(() -> f.onLoop(() -> f.handler.handled.get() == n || f.server.connectionsSnapshot()
                    .stream().anyMatch(HttpConnection::isReadPaused)));
            int dispatched = f.onLoop(() -> f.handler.handled.get());
            // what the kernel buffers (a few MB on loopback) plus one answer over the cap, not all 32
            assertTrue(dispatched >= 1 && dispatched <= 8, dispatched + " requests dispatched to a client that does not read");

            RawClient c = new RawClient(s);
            for (int i = 0; i < n; i++) {
                RawClient.Response r = c.read();
                assertEquals(200, r.status);
                assertEquals(size, r.body.length);
            }
            assertEquals(n, (int) f.onLoop(() -> f.handler.handled.get()));
        }
    }
}
