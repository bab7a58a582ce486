package dev.uhttp.workers.ipc;

import dev.uhttp.workers.api.LogSink;
import java.io.Closeable;
import java.io.IOException;

/** The dispatcher's side of a provider: prepares worker launches and hands out their channels. */
public interface IpcServer extends Closeable {

    /**
     * Settings for a server.
     *
     * @param codec     the frame codec (and its size limit) for every channel
     * @param loop      the dispatcher's loop
     * @param log       where the provider reports peers it refused and similar events (at WARNING), or null
     */
    record Options(FrameCodec codec, EventLoop loop, LogSink log) {
    }

    /**
     * Prepares a worker launch: adds what the child needs (environment, stdin/stdout redirects) to
     * {@code process} before it is started.
     */
    Launch prepare(ProcessBuilder process) throws IOException;

    /** Releases everything (listening socket, its directory); channels already handed out stay open. */
    @Override
    void close() throws IOException;

    /** One prepared launch. */
    interface Launch {
        /**
         * The channel to the started {@code process}. Sends made before the worker has connected are
         * kept and written once it has.
         */
        IpcChannel attach(Process process) throws IOException;

        /** Forgets the launch when the process could not be started. */
        void cancel();
    }
}
