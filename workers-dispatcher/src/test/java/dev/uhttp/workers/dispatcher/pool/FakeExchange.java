package dev.uhttp.workers.dispatcher.pool;

import dev.uhttp.workers.dispatcher.http.HttpExchange;
import dev.uhttp.workers.dispatcher.http.ServedBy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A client request without a connection: records every answer and stream event. */
final class FakeExchange implements HttpExchange {
    final String path;
    final List<Integer> statuses = new ArrayList<>();
    final List<byte[]> chunks = new ArrayList<>();
    private final List<Runnable> onClose = new ArrayList<>();
    Runnable onWritable;
    /** The request's method ({@code GET} unless the test says otherwise). */
    String method = "GET";
    /** A body that streams (set before submitting), or null. */
    dev.uhttp.workers.dispatcher.http.StreamedBody streamed;
    boolean open = true;
    boolean streamEnded;
    long pendingOutput;

    FakeExchange(String path) {
        this.path = path;
    }

    @Override
    public dev.uhttp.workers.dispatcher.http.StreamedBody streamedBody() {
        return streamed;
    }

    /** The client went away. */
    void disconnect() {
        open = false;
        onClose.forEach(Runnable::run);
    }

    ServedBy servedBy = ServedBy.NONE;
    int workerId = -1;

    @Override
    public String method() {
        return method;
    }

    @Override
    public String requestId() {
        return "fake-" + path;
    }

    @Override
    public int status() {
        return statuses.isEmpty() ? 0 : statuses.get(statuses.size() - 1);
    }

    @Override
    public long bodyBytesSent() {
        return 0;
    }

    @Override
    public long startNanos() {
        return 0;
    }

    @Override
    public void servedBy(ServedBy by) {
        this.servedBy = by;
    }

    @Override
    public ServedBy servedBy() {
        return servedBy;
    }

    @Override
    public void worker(int workerId) {
        this.workerId = workerId;
    }

    @Override
    public int workerId() {
        return workerId;
    }

    @Override
    public String target() {
        return path;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return "";
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public String header(String name) {
        return null;
    }

    @Override
    public String[] headers() {
        return new String[0];
    }

    @Override
    public byte[] body() {
        return new byte[0];
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isAnswered() {
        return !statuses.isEmpty();
    }

    @Override
    public boolean respond(int status, String[] headers, byte[] body) {
        statuses.add(status);
        return open;
    }

    @Override
    public boolean respondFile(Path file, String contentType, String[] extraHeaders) {
        statuses.add(200);
        return open;
    }

    @Override
    public boolean startStream(int status, String[] headers) {
        statuses.add(status);
        return open;
    }

    @Override
    public boolean startStream(int status, String[] headers, long length) {
        statuses.add(status);
        return open;
    }

    @Override
    public void sendChunk(byte[] data) {
        chunks.add(data);
    }

    @Override
    public void endStream() {
        streamEnded = true;
    }

    @Override
    public long pendingOutputBytes() {
        return pendingOutput;
    }

    @Override
    public void onClose(Runnable callback) {
        onClose.add(callback);
    }

    @Override
    public void onWritable(Runnable callback) {
        onWritable = callback;
    }
}
