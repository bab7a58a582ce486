module app {
    requires uhttp.workers.dispatcher;
    // The worker runtime constructs workers and calls their routes by reflection; jackson binds JSON.
    // The dispatcher needs nothing opened: its loop routes and hooks are lambdas.
    opens app.workers to uhttp.workers.worker, com.fasterxml.jackson.databind;
}
