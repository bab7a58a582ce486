package dev.uhttp.workers.ipc.pipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher reads a worker's frames from {@code Process.getInputStream()}, a stream the JDK buffers
 * already. Buffered twice, each refill asked the inner buffer for more than a pipe had, and
 * {@link BufferedInputStream} then asked the pipe's {@code available()}: fstat and ioctl, two system
 * calls per frame on top of the read. Here the "pipe" hands out one frame per read, like a worker's
 * writes arriving one at a time, and counts {@code available()} calls.
 */
class PipeReadSystemCallsTest {

    @Test
    void framesFromAnAlreadyBufferedStreamCostNoAvailableCalls() throws Exception {
        FrameCodec codec = new FrameCodec();
        int frames = 200;
        List<byte[]> writes = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            codec.write(new Message.Response(i, 200, new String[] {"content-type", "application/json"},
                    ("{\"n\":" + i + "}").getBytes()), one);
            writes.add(one.toByteArray());
        }
        OneWritePerRead pipe = new OneWritePerRead(writes);
        List<Message> received = new CopyOnWriteArrayList<>();
        PipeChannel channel = new PipeChannel(new BufferedInputStream(pipe, 8192), OutputStream.nullOutputStream(),
                codec, "test", false);
        channel.start(new InlineLoop(), new IpcChannel.Listener() {
            @Override
            public void onMessage(Message message) {
                received.add(message);
            }

            @Override
            public void onClosed(IOException cause) {
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == frames);
        channel.close();
        assertEquals(frames - 1, ((Message.Response) received.get(frames - 1)).id());
        assertEquals(0, pipe.availableCalls.get(), "available() calls (fstat + ioctl on a real pipe)");
    }

    /** Like a pipe read by a blocking thread: each read returns at most what one write put in. */
    private static final class OneWritePerRead extends InputStream {
        final AtomicInteger availableCalls = new AtomicInteger();
        private final List<byte[]> writes;
        private int write;
        private int offset;

        OneWritePerRead(List<byte[]> writes) {
            this.writes = writes;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("single-byte reads");
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (write == writes.size()) {
                return -1;
            }
            byte[] w = writes.get(write);
            int n = Math.min(len, w.length - offset);
            System.arraycopy(w, offset, b, off, n);
            offset += n;
            if (offset == w.length) {
                write++;
                offset = 0;
            }
            return n;
        }

        @Override
        public int available() {
            availableCalls.incrementAndGet();
            return 0;
        }
    }

    /** Runs tasks at once on the caller (the channel's reader thread); registers nothing. */
    private static final class InlineLoop implements EventLoop {
        @Override
        public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public boolean inEventLoop() {
            return true;
        }
    }
}
