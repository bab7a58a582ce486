package dev.uhttp.workers.dispatcher.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/** The byte transport under a connection: the socket itself, or TLS over it. Loop thread only. */
interface Transport {

    SocketChannel channel();

    /** Reads application bytes into {@code dst}; -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes application bytes; returns how many were taken (0 when the socket is full). */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Sends up to {@code count} bytes of {@code file} from {@code position}; returns how many were taken. */
    long transferFile(FileChannel file, long position, long count) throws IOException;

    /** Pushes bytes the transport buffered itself; true when none are left. */
    boolean flush() throws IOException;

    /** Whether the transport holds input that can be read without the socket becoming readable. */
    boolean hasBufferedInput();

    /** Whether the transport holds output of its own (e.g. handshake records) waiting for the socket. */
    boolean hasPendingOutput();

    /** Ends the output side: close_notify for TLS (best effort), then a TCP FIN. */
    void shutdownOutput();

    void close();

    boolean isSecure();
}
