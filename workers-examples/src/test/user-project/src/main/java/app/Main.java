package app;

import app.workers.HelloWorker;
import dev.uhttp.workers.dispatcher.DispatcherConfig;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.util.Map;

public class Main {

    public static void main(String[] args) {
        DispatcherConfig.builder()
                .port(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")))
                .pool(WorkerPool.of(HelloWorker.class).name("hello").workers(2).routes("/api/**"))
                .get("/health", ex -> ex.respond(Map.of("status", "ok", "pools", ex.dispatcher().status().pools())))
                .runMain();   // until SIGTERM / SIGINT, then exit 0; a setup error: one line, exit 2
    }
}
