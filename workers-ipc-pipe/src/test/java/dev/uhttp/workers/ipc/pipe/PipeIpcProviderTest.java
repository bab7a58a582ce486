package dev.uhttp.workers.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.ipc.IpcProvider;
import dev.uhttp.workers.ipc.testing.Child;
import dev.uhttp.workers.ipc.testing.EchoChild;
import dev.uhttp.workers.ipc.testing.IpcProviderContract;
import org.junit.jupiter.api.Test;

/**
 * The pipe provider against a real child JVM ({@link EchoChild}), without the worker runtime: the shared
 * {@link IpcProviderContract} plus what is particular to pipes (the child's stdin/stdout carry the frames).
 */
class PipeIpcProviderTest extends IpcProviderContract {

    @Override
    protected IpcProvider provider() {
        return new PipeIpcProvider();
    }

    @Override
    protected String expectedName() {
        return "pipe";
    }

    @Override
    protected int expectedPriority() {
        return 10;
    }

    /** The echo child itself: on {@code /garbage} it writes a bad frame straight to stdout, which is the channel. */
    @Override
    protected Child launchGarbageWriter() throws Exception {
        return launch();
    }

    @Override
    protected void provokeGarbage(Child c) throws Exception {
        send(c, request(1, "/garbage", new byte[0]));
    }

    @Test
    void prepareSetsTheEnvironmentAndRedirects() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("true");
        server.prepare(pb).cancel();
        assertEquals("pipe", pb.environment().get("WORKERS_IPC"));
        assertEquals(ProcessBuilder.Redirect.PIPE, pb.redirectInput());
        assertEquals(ProcessBuilder.Redirect.PIPE, pb.redirectOutput());
        assertEquals(ProcessBuilder.Redirect.INHERIT, pb.redirectError());
    }
}
