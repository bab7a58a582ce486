module app {
    requires uhttp.workers.dispatcher;
    // The worker runtime constructs workers and calls their routes by reflection; jackson binds JSON.
    opens app.workers to uhttp.workers.worker, com.fasterxml.jackson.databind;
    // The dispatcher calls the @LoopRoute methods of Main.
    opens app to uhttp.workers.dispatcher;
}
