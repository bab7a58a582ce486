package dev.uhttp.workers.worker.testworkers;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.ApiHandler;
import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.RejectRequest;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The worker the integration tests (and some unit tests) talk to. */
public class TestWorker extends Worker {
    private volatile Map<String, Object> config = Map.of();
    private volatile boolean ready;
    private final AtomicBoolean idleLogged = new AtomicBoolean();
    /** Released by a config message {@code {"release": true}}; blocks {@code /block} requests until then. */
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<Class<? extends ApiHandler<?>>> handlers() {
        return List.of(UserHandler.class, AdminUserHandler.class);
    }

    @Override
    public void setup() {
        ready = true;
        log.info("setup done for {} with kwargs {}", poolName(), kwargs());
    }

    List<String> users() {
        return List.of("ann", "bob");
    }

    @Override
    public Object doCheck(Request request) {
        if (request.header("X-Reject") != null) {
            throw new RejectRequest(401, Map.of("error", "rejected: " + request.header("X-Reject")));
        }
        if (request.header("X-Check") != null) {
            return Response.of(418, Map.of("checked", true));
        }
        return null;
    }

    @Override
    public void onIdle() {
        if (idleLogged.compareAndSet(false, true)) {
            log.info("idle now");
        }
    }

    @Override
    public void onConfig(Map<String, Object> config) {
        this.config = config;
        log.info("config received: {}", config);
        if (Boolean.TRUE.equals(config.get("release"))) {
            release.countDown();
        }
    }

    /** The heap as the worker sees it when it serves its first requests. */
    @Api(value = "/heap", methods = "GET")
    public Object heap(Request request) {
        Runtime rt = Runtime.getRuntime();
        return Map.of("committed", rt.totalMemory(), "used", rt.totalMemory() - rt.freeMemory());
    }

    @Api(value = "/hello", methods = "GET")
    public Object hello(Request request) {
        return Map.of("hello", "world", "ready", ready, "worker", workerId(), "pool", poolName());
    }

    @Api(value = "/item/{id:int}", methods = {"GET", "PUT"})
    public Object item(Request request) {
        Object id = request.pathParam("id");
        return Map.of("id", id, "type", id.getClass().getSimpleName(), "method", request.method());
    }

    @Api(value = "/price/{amount:float}", methods = "GET")
    public Object price(Request request) {
        Object amount = request.pathParam("amount");
        return Map.of("amount", amount, "type", amount.getClass().getSimpleName());
    }

    @Api(value = "/tag/{name}")
    public Object tag(Request request) {
        return Map.of("name", request.pathParam("name"), "method", request.method());
    }

    @Api(value = "/query", methods = "GET")
    public Object query(Request request) {
        return request.query();
    }

    @Api(value = "/headers", methods = "GET")
    public Object headers(Request request) {
        return Map.of("agent", String.valueOf(request.header("user-agent")),
                "accept", String.valueOf(request.header("ACCEPT")),
                "remote", request.remoteAddress().getAddress().getHostAddress(),
                "port", request.remoteAddress().getPort(), "secure", request.isSecure());
    }

    @Api(value = "/cookies", methods = "GET")
    public Object cookies(Request request) {
        return request.cookies();
    }

    @Api(value = "/echo", methods = "POST")
    public Object echo(Request request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("json", request.json());
        out.put("contentType", request.contentType());
        return out;
    }

    @Api(value = "/bind", methods = "POST")
    public Object bind(Request request) {
        Item item = request.json(Item.class);
        return new Item(item.name().toUpperCase(), item.count() + 1);
    }

    @Api(value = "/text", methods = "POST")
    public Object text(Request request) {
        return "got: " + request.text();
    }

    @Api(value = "/bytes", methods = "GET")
    public Object bytes(Request request) {
        return "raw".getBytes(StandardCharsets.US_ASCII);
    }

    /** A body over the IPC frame limit (64 MiB): it cannot be sent as is. */
    @Api(value = "/huge", methods = "GET")
    public Object huge(Request request) {
        return new byte[70 << 20];
    }

    /** Names the thread that serialises it as JSON. */
    public record EncodedOn(String unused) {
        @Override
        public String unused() {
            return Thread.currentThread().getName();
        }
    }

    @Api(value = "/encoded-on", methods = "GET")
    public Object encodedOn(Request request) {
        return new EncodedOn("");
    }

    @Api(value = "/created", methods = "POST")
    public Object created(Request request) {
        return Response.of(201, Map.of("created", true)).header("Location", "/item/1")
                .cookie(Cookie.of("sid", "abc").withPath("/").withHttpOnly(true));
    }

    @Api(value = "/empty", methods = "GET")
    public void empty(Request request) {
        // void: an empty 200
    }

    @Api(value = "/fail", methods = "GET")
    public Object fail(Request request) {
        throw new IllegalStateException("handler failed on purpose");
    }

    @Api(value = "/print", methods = "GET")
    public Object print(Request request) {
        System.out.println("printed by a handler");
        System.out.print("two lines\nat once\n");
        return "printed";
    }

    @Api(value = "/keepalive", methods = "GET")
    public Object keepAlive(Request request) {
        keepAlive();
        return "kept";
    }

    @Api(value = "/config", methods = "GET")
    public Object config(Request request) {
        return config;
    }

    @Api(value = "/fire", methods = "POST")
    public Object fire(Request request) {
        log.warning("fire-and-forget ran with {}", request.text());
        return null;
    }

    /** Blocks until released by config, logging when it starts (for concurrency tests). */
    @Api(value = "/block/{name}", methods = "GET")
    public Object block(Request request) throws InterruptedException {
        log.info("blocking {}", request.pathParam("name"));
        if (!release.await(60, TimeUnit.SECONDS)) {
            return Response.of(504, Map.of("error", "never released"));
        }
        return Map.of("released", request.pathParam("name"));
    }

    /** Never returns: a stuck handler. */
    @Api(value = "/spin", methods = "GET")
    public Object spin(Request request) {
        log.info("spinning");
        long n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            n++;
        }
        return n;
    }
}
