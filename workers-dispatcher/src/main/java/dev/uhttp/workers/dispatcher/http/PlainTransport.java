package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.ipc.loop.HeapBufferIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/** Plain TCP; files go out with {@link FileChannel#transferTo} (sendfile). */
final class PlainTransport implements Transport {
    private final SocketChannel ch;

    PlainTransport(SocketChannel ch) {
        this.ch = ch;
    }

    @Override
    public SocketChannel channel() {
        return ch;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return HeapBufferIo.read(ch, dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return HeapBufferIo.write(ch, srcs, offset, length);
    }

    @Override
    public long transferFile(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, ch);
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }

    @Override
    public boolean hasPendingOutput() {
        return false;
    }

    @Override
    public void shutdownOutput() {
        try {
            ch.shutdownOutput();
        } catch (IOException ignored) {
            // the peer is gone already
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public boolean isSecure() {
        return false;
    }
}
