package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A write that meets a closed peer is the same clean close as a read that meets the end of the stream. */
class PeerClosedTest {
    @Test
    void brokenPipeAndResetAreThePeerClosing() {
        assertTrue(AbstractIpcChannel.peerClosed(new IOException("Broken pipe")));
        assertTrue(AbstractIpcChannel.peerClosed(new IOException("Connection reset by peer")));
        assertFalse(AbstractIpcChannel.peerClosed(null));
        assertFalse(AbstractIpcChannel.peerClosed(new IOException("frame too large")));
        assertFalse(AbstractIpcChannel.peerClosed(new IpcProtocolException("corrupt frame")));
    }
}
