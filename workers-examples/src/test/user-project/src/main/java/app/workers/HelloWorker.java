package app.workers;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Worker;
import java.util.Map;

public class HelloWorker extends Worker {

    public record Greeting(String name) {
    }

    @Api(value = "/api/hello/{name}", methods = "GET")
    public Object hello(Request request) {
        return new Greeting((String) request.pathParam("name"));
    }

    @Api(value = "/api/pid", methods = "GET")
    public Object pid(Request request) {
        return Map.of("pid", ProcessHandle.current().pid(), "worker", workerId());
    }
}
