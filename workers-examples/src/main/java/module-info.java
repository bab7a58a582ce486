/** The example applications and the benchmark. */
module uhttp.workers.examples {
    requires uhttp.workers.dispatcher;
    requires uhttp.workers.worker;
}
