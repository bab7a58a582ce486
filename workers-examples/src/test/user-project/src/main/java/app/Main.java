package app;

import app.workers.HelloWorker;
import dev.uhttp.workers.dispatcher.Exchange;
import dev.uhttp.workers.dispatcher.Dispatcher;
import dev.uhttp.workers.dispatcher.LoopRoute;
import dev.uhttp.workers.dispatcher.WorkerPool;
import java.util.Map;

public class Main extends Dispatcher {

    @LoopRoute(value = "/health", methods = "GET")
    public void health(Exchange client) {
        client.respond(Map.of("status", "ok", "pools", status().pools()));
    }

    public static void main(String[] args) {
        new Main()
                .port(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")))
                .pool(WorkerPool.of(HelloWorker.class).name("hello").workers(2).routes("/api/**"))
                .run();   // until SIGTERM / SIGINT, then exit 0; a setup error: one line, exit 2
    }
}
