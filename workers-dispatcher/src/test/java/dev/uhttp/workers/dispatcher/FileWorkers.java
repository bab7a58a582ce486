package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.Api;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.api.Response;
import dev.uhttp.workers.api.Worker;
import java.nio.file.Path;
import java.util.Map;

/** Worker classes for the handed-back file tests. */
public final class FileWorkers {
    private FileWorkers() {
    }

    /**
     * Hands back whatever path it is asked for, as a careless or compromised worker would: the
     * dispatcher's file roots are all that stands between it and the rest of the file system.
     */
    public static class FileWorker extends Worker {

        @Api("/f/give")
        public Object give(Request request) {
            Response r = Response.file(Path.of(request.queryParam("path")));
            String type = request.queryParam("type");
            if (type != null) {
                r.contentType(type);
            }
            String name = request.queryParam("name");
            if (name != null) {
                r.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
            }
            return r;
        }

        @Api("/f/ping")
        public Object ping(Request request) {
            return Map.of("pong", true);
        }
    }
}
