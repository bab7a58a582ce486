package dev.uhttp.workers.ipc.pipe;

import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.IpcServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * IPC over the worker process's stdin (dispatcher to worker) and stdout (worker to dispatcher); the
 * worker's stderr is inherited. Works everywhere a child process has pipes, so it is the fallback
 * (priority {@value #PRIORITY}). Pipes are not selectable: each {@link PipeChannel} reads and writes
 * on its own two daemon threads and hands received frames to the loop in batches.
 */
public final class PipeIpcProvider implements IpcProvider {

    /** The provider's name, as given to {@code workers.ipc} / {@code WORKERS_IPC}. */
    public static final String NAME = "pipe";
    /** Below the Unix socket provider. */
    public static final int PRIORITY = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public IpcServer openServer(IpcServer.Options options) {
        return new PipeServer(options.codec());
    }

    @Override
    public IpcChannel connectWorker(Map<String, String> environment, FrameCodec codec) throws IOException {
        // Raw descriptors rather than System.in/System.out: the worker runtime redirects System.out so
        // that user code printing cannot corrupt the frame stream.
        return new PipeChannel(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                codec, "worker", true);
    }

    /** Nothing to listen on: each launch gets its pipes from the process itself. */
    private static final class PipeServer implements IpcServer {
        private final FrameCodec codec;

        PipeServer(FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public Launch prepare(ProcessBuilder process) {
            process.redirectInput(ProcessBuilder.Redirect.PIPE);
            process.redirectOutput(ProcessBuilder.Redirect.PIPE);
            process.redirectError(ProcessBuilder.Redirect.INHERIT);
            process.environment().put(IpcProviders.ENVIRONMENT, NAME);
            return new Launch() {
                @Override
                public IpcChannel attach(Process started) {
                    return new PipeChannel(started.getInputStream(), started.getOutputStream(), codec,
                            "worker pid " + started.pid(), false);
                }

                @Override
                public void cancel() {
                    // nothing was allocated
                }
            };
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
