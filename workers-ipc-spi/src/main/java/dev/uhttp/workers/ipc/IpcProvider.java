package dev.uhttp.workers.ipc;

import java.io.IOException;
import java.util.Map;

/**
 * An IPC mechanism between the dispatcher and its worker processes, found with
 * {@link java.util.ServiceLoader}. Modules declare {@code provides dev.uhttp.workers.ipc.IpcProvider with ...};
 * jars on the class path list it in {@code META-INF/services}. See {@link IpcProviders#select} for how one
 * is chosen.
 */
public interface IpcProvider {

    /** Short name used to choose it: {@code pipe}, {@code unixsocket}, ... */
    String name();

    /** Preference when nothing is chosen explicitly: the highest available wins. */
    int priority();

    /** Whether it works on this platform. */
    boolean isAvailable();

    /** Dispatcher side: opens what the dispatcher needs to link to workers (one per dispatcher). */
    IpcServer openServer(IpcServer.Options options) throws IOException;

    /**
     * Worker side, inside the child JVM: opens the worker's end from what the launch left in the
     * environment. Called before any user code runs.
     */
    IpcChannel connectWorker(Map<String, String> environment, FrameCodec codec) throws IOException;
}
