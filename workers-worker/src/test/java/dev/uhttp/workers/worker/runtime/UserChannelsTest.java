package dev.uhttp.workers.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.api.Logger;
import dev.uhttp.workers.api.internal.Loggers;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UserChannelsTest {

    @Test
    void channelsClosedAfterUnregisteringAreForgotten() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        List<Throwable> loopErrors = new CopyOnWriteArrayList<>();
        try (SelectorLoop loop = new SelectorLoop((level, logger, message, args) ->
                loopErrors.add((Throwable) args[args.length - 1]))) {
            loop.bindToCurrentThread();
            UserChannels channels = new UserChannels(loop, Loggers.create("test", LogLevel.DEBUG,
                    (level, name, message, args) -> logged.add(dev.uhttp.workers.api.Logger.format(message, args))));
            for (int i = 0; i < 1000; i++) {
                // A short-lived socket: watched, unwatched (the key stays, interest 0), then closed.
                Pipe pipe = Pipe.open();
                channels.register(pipe.source(), SelectionKey.OP_READ, c -> { });
                channels.unregister(pipe.source());
                pipe.source().close();
                pipe.sink().close();
                loop.runOnce(0);
            }
            assertTrue(channels.size() <= 32, "entries kept for closed channels: " + channels.size());

            // A channel that stays open keeps its entry and still works.
            Pipe live = Pipe.open();
            List<String> reads = new ArrayList<>();
            channels.register(live.source(), SelectionKey.OP_READ, c -> {
                ByteBuffer b = ByteBuffer.allocate(16);
                try {
                    ((Pipe.SourceChannel) c).read(b);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                reads.add(new String(b.array(), 0, b.position()));
            });
            live.sink().write(ByteBuffer.wrap("hi".getBytes()));
            for (int i = 0; i < 100 && reads.isEmpty(); i++) {
                loop.runOnce(100);
            }
            assertEquals(List.of("hi"), reads);
            live.source().close();
            live.sink().close();
        }
        assertEquals(List.of(), loopErrors);
        assertEquals(List.of(), logged);
    }
}
