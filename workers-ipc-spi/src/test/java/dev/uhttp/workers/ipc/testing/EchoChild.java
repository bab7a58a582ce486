package dev.uhttp.workers.ipc.testing;

import dev.uhttp.workers.ipc.FrameCodec;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcProviders;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in worker (no worker runtime): connects through the provider the launch chose, runs its own
 * loop and echoes every request as a response with the same id and body. Special paths:
 * {@code /hold} blocks the loop until the file named by the body exists (so nothing is read meanwhile),
 * {@code /garbage} writes bytes that are no frame, {@code /exit} exits with status 3.
 */
public final class EchoChild {

    private EchoChild() {
    }

    public static void main(String[] args) throws Exception {
        IpcChannel channel = IpcProviders.select(null).connectWorker(System.getenv(), new FrameCodec());
        SelectorLoop loop = new SelectorLoop((level, logger, message, arguments) ->
                System.err.println("echo child: " + dev.uhttp.workers.api.Logger.format(message, arguments)));
        loop.bindToCurrentThread();
        boolean[] done = {false};
        channel.start(loop, new IpcChannel.Listener() {
            @Override
            public void onMessage(Message message) {
                if (message instanceof Message.Request r) {
                    handle(channel, r);
                }
            }

            @Override
            public void onClosed(IOException cause) {
                done[0] = true;
            }
        });
        while (!done[0]) {
            loop.runOnce(1000);
        }
        System.exit(0);
    }

    private static void handle(IpcChannel channel, Message.Request r) {
        try {
            switch (r.path()) {
                case "/hold" -> waitFor(Path.of(new String(r.body(), StandardCharsets.UTF_8)));
                case "/garbage" -> {
                    // Straight to the stream under the channel: a 3-byte frame of bytes MessagePack never uses.
                    FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
                    raw.write(new byte[] {0, 0, 0, 3, (byte) 0xc1, (byte) 0xc1, (byte) 0xc1});
                    raw.flush();
                    return;
                }
                case "/exit" -> System.exit(3);
                default -> {
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        channel.send(new Message.Response(r.id(), 200, new String[] {"X-Path", r.path()}, r.body()));
    }

    /** Blocks until {@code file} exists: the loop reads nothing meanwhile. */
    private static void waitFor(Path file) throws IOException, InterruptedException {
        try (WatchService watch = file.getFileSystem().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(file)) {
                watch.poll(1, TimeUnit.SECONDS); // re-checks the file either way
            }
        }
    }
}
