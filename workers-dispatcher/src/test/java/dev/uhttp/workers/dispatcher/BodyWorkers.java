package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/** Worker classes for the streamed request body tests. */
public final class BodyWorkers {
    private BodyWorkers() {
    }

    /** Reads streamed bodies: hashing, gated (a handler that does not read until told), failing. */
    public static class UploadWorker extends Worker {
        private final Semaphore gate = new Semaphore(0);
        private final List<Long> failed = new CopyOnWriteArrayList<>();
        private final List<Long> disconnected = new CopyOnWriteArrayList<>();

        static Map<String, Object> sha256(InputStream in) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                total += n;
            }
            return Map.of("sha256", HexFormat.of().formatHex(sha.digest()), "bytes", total);
        }

        @Api(value = "/up/sha256", methods = "POST")
        public Object sha256(Request request) throws Exception {
            return sha256(request.bodyStream());
        }

        /** As {@code /up/sha256}, the body handed to the digest by {@code transferTo}: the pieces themselves. */
        @Api(value = "/up/sha256-transfer", methods = "POST")
        public Object sha256Transfer(Request request) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long total = request.bodyStream().transferTo(
                    new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), sha));
            return Map.of("sha256", HexFormat.of().formatHex(sha.digest()), "bytes", total);
        }

        @Api(value = "/up/gated", methods = "POST")
        public Object gated(Request request) throws Exception {
            gate.acquire();
            return sha256(request.bodyStream());
        }

        @Api(value = "/up/open-gate", methods = "POST")
        public Object openGate(Request request) {
            gate.release();
            return Map.of("opened", true);
        }

        @Api(value = "/up/until-gone", methods = "POST")
        public Object untilGone(Request request) {
            try {
                sha256(request.bodyStream());
                return Map.of("failed", false);
            } catch (IOException e) {
                failed.add(request.id());
                return Map.of("failed", true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The body's bytes back (a large answer goes out in pieces). */
        @Api(value = "/up/echo", methods = "POST")
        public Object echo(Request request) {
            return request.body();
        }

        /** What the handler can read at once when it starts: a collected body is all there. */
        @Api(value = "/up/available", methods = "POST")
        public Object available(Request request) throws Exception {
            return Map.of("available", request.bodyStream().available(), "sha", sha256(request.bodyStream()));
        }

        @Api(value = "/up/events", methods = "GET")
        public Object events(Request request) {
            return Map.of("failed", failed, "disconnected", disconnected);
        }

        @Api(value = "/up/json", methods = "POST")
        public Object json(Request request) {
            return Map.of("got", request.json());
        }

        /** {@code GET /up/big?mib=N}: N MiB of a repeating pattern, as one byte[] result. */
        @Api(value = "/up/big", methods = "GET")
        public Object big(Request request) {
            byte[] body = new byte[Integer.parseInt(request.queryParam("mib")) << 20];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 31 + (i >>> 16));
            }
            return body;
        }

        @Api(value = "/up/ping", methods = "GET")
        public Object ping(Request request) {
            return Map.of("pong", true);
        }

        /**
         * {@code sendConfig({"open-gate": n})} lets {@code n} gated handlers through from outside, with no
         * request slot (on the worker's loop thread, which handlers leave free with concurrency over 1).
         */
        @Override
        public void onConfig(Map<String, Object> config) {
            if (config.get("open-gate") instanceof Number n) {
                gate.release(n.intValue());
            }
        }

        @Override
        public void onDisconnect(long requestId) {
            disconnected.add(requestId);
        }
    }
}
