package dev.uhttp.workers.dispatcher.http;

/** Where the pieces of a streamed request body go as they are received (loop thread). */
interface BodySink {
    /** The next piece ({@code data} is handed over: not written to afterwards). */
    void piece(byte[] data);

    /** The body is complete. */
    void complete();
}
