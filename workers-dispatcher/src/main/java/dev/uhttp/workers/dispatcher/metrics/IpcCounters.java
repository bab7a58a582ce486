package dev.uhttp.workers.dispatcher.metrics;

import dev.uhttp.workers.ipc.EventLoop;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.Message;
import dev.uhttp.workers.ipc.ResponseView;
import java.io.IOException;

/**
 * Counts the IPC messages (one frame each) between the dispatcher and its workers, by wrapping each
 * worker's channel and listener: {@code uhttp_ipc_frames_total{direction}}. Loop thread only.
 */
final class IpcCounters {
    long received;
    long sent;

    /** {@code channel}, counting what is sent through it. */
    IpcChannel counting(IpcChannel channel) {
        return new IpcChannel() {
            @Override
            public void start(EventLoop loop, Listener listener) throws IOException {
                channel.start(loop, listener);
            }

            @Override
            public void send(Message message) {
                boolean open = channel.isOpen(); // a closed channel drops it
                channel.send(message); // throws (nothing queued) for a frame it cannot encode: not counted
                if (open) {
                    sent++;
                }
            }

            @Override
            public void sendPiece(Message.HasBody message) {
                boolean open = channel.isOpen();
                channel.sendPiece(message); // the channel gives the piece's array back to the pool
                if (open) {
                    sent++;
                }
            }

            @Override
            public void sendRequest(long id, String method, String path, String query, String[] headers, byte[] body,
                                    String remoteHost, int remotePort, boolean secure, Object context,
                                    CharSequence requestId) {
                boolean open = channel.isOpen();
                channel.sendRequest(id, method, path, query, headers, body, remoteHost, remotePort, secure, context,
                        requestId);
                if (open) {
                    sent++;
                }
            }

            @Override
            public long pendingBytes() {
                return channel.pendingBytes();
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() {
                channel.close();
            }
        };
    }

    /** {@code listener}, counting what arrives. */
    IpcChannel.Listener counting(IpcChannel.Listener listener) {
        return new IpcChannel.Listener() {
            @Override
            public void onMessage(Message message) {
                received++;
                listener.onMessage(message);
            }

            @Override
            public void onResponse(ResponseView response) {
                received++;
                listener.onResponse(response); // passed on in place (the default would copy it)
            }

            @Override
            public void onDrained() {
                listener.onDrained();
            }

            @Override
            public void onClosed(IOException cause) {
                listener.onClosed(cause);
            }
        };
    }
}
