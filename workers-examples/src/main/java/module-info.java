/**
 * The example applications, run with {@code workers-example} (see {@link dev.uhttp.workers.examples.Main}).
 *
 * <p>What a user's own application module needs is all here: it requires the dispatcher (which brings
 * the worker API), opens its worker packages to {@code uhttp.workers.worker} (which constructs workers
 * and handlers and calls their routes by reflection, in the worker JVMs) and its dispatcher's package
 * to {@code uhttp.workers.dispatcher} (which calls the {@code @LoopRoute} handlers). The IPC providers only
 * need to be on the module path (or in the image): the boot layer binds them as services, and so is the
 * Redis cluster bus ({@code uhttp.workers.cluster.redis}, for {@code --redis}).
 */
module uhttp.workers.examples {
    requires uhttp.workers.dispatcher;
    requires uhttp.workers.worker;
    requires com.fasterxml.jackson.databind; // the compute worker writes the results it forwards as JSON text
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires info.picocli; // the command line (an explicit module with no dependencies)

    // picocli fills the annotated fields of the command line's options by reflection.
    opens dev.uhttp.workers.examples to info.picocli;

    opens dev.uhttp.workers.examples.simple to uhttp.workers.worker, uhttp.workers.dispatcher;
    opens dev.uhttp.workers.examples.sse to uhttp.workers.worker, uhttp.workers.dispatcher;
    opens dev.uhttp.workers.examples.bench to uhttp.workers.worker, uhttp.workers.dispatcher; requires static jdk.httpserver; // benchmark (bench/run.sh)
    requires jdk.management; // the loop thread's allocation and CPU (bench/cost.sh, GET /loop-cost)
}
