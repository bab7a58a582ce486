package dev.uhttp.workers.dispatcher.http;

import dev.uhttp.workers.api.LogLevel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One request/response on an {@link HttpConnection}. Its output is queued here until it is the oldest
 * unfinished exchange of its connection, which keeps pipelined responses in request order.
 *
 * <p>Stream chunks are not copied: the engine keeps a reference to the array given to
 * {@link #sendChunk} (and to {@link #respond}'s body) until it is written, so the caller must not
 * change it afterwards.
 */
final class Http1Exchange implements HttpExchange {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private final HttpConnection conn;
    private final String method;
    private final String target;
    private final String path;
    private final String query;
    private final boolean http11;
    private final boolean head;
    private final String[] headers;
    byte[] body = EMPTY;
    /** No request is read after this one on its connection. */
    boolean last;
    /** The connection closes once this response is written. */
    boolean closeAfter;

    private ArrayDeque<Object> out;
    private boolean answered;
    private boolean streaming;
    private boolean chunked;
    private boolean complete;
    private boolean finished;
    private boolean aborted;
    private ArrayList<Runnable> closeCallbacks;
    private ArrayList<Runnable> writableCallbacks;

    Http1Exchange(HttpConnection conn, RequestParser p) {
        this.conn = conn;
        this.method = p.method;
        this.target = p.target;
        this.path = p.path;
        this.query = p.query;
        this.http11 = p.http11;
        this.head = "HEAD".equals(p.method);
        this.headers = p.headers.toArray(new String[0]);
    }

    /** An exchange that only carries an error answer for a request that could not be parsed. */
    private Http1Exchange(HttpConnection conn, boolean http11) {
        this.conn = conn;
        this.method = "";
        this.target = "";
        this.path = "/";
        this.query = "";
        this.http11 = http11;
        this.head = false;
        this.headers = new String[0];
    }

    static Http1Exchange forError(HttpConnection conn, boolean http11) {
        return new Http1Exchange(conn, http11);
    }

    // ---- request

    @Override public String method() { return method; }
    @Override public String target() { return target; }
    @Override public String path() { return path; }
    @Override public String query() { return query; }
    @Override public String protocol() { return http11 ? "HTTP/1.1" : "HTTP/1.0"; }
    @Override public String[] headers() { return headers; }
    @Override public byte[] body() { return body; }
    @Override public InetSocketAddress remoteAddress() { return conn.remoteAddress(); }
    @Override public boolean isSecure() { return conn.isSecure(); }
    @Override public boolean isOpen() { return conn.acceptsOutput(); }
    @Override public boolean isAnswered() { return answered; }
    @Override public long pendingOutputBytes() { return conn.pendingBytes(); }

    @Override
    public String header(String name) {
        String found = null;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                found = found == null ? headers[i + 1] : found + ", " + headers[i + 1];
            }
        }
        return found;
    }

    // ---- answering

    @Override
    public boolean respond(int status, String[] hdrs, byte[] data) {
        conn.checkThread();
        if (answered || !conn.acceptsOutput()) {
            return false;
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        byte[] b = data == null ? EMPTY : data;
        boolean callerClose = ResponseHead.validate(hdrs);
        answered = true;
        complete = true;
        boolean bodyless = status < 200 || status == 204 || status == 304;
        boolean close = decideClose(callerClose || status < 200);
        byte[] h = ResponseHead.encode(status, conn.dateLine(), hdrs, null, bodyless ? -1 : b.length, false, close);
        enqueue(ByteBuffer.wrap(h));
        if (!head && !bodyless && b.length > 0) {
            enqueue(ByteBuffer.wrap(b));
        }
        conn.outputAdded(this, false);
        return true;
    }

    /** Answers with {@code {"error": message}}. */
    boolean respondError(int status, String message, boolean close) {
        if (close) {
            closeAfter = true;
        }
        return respond(status, JsonErrors.HEADERS, JsonErrors.body(message));
    }

    private boolean decideClose(boolean want) {
        boolean c = want || closeAfter || last || (conn.isDraining() && conn.isLastExchange(this));
        if (c) {
            closeAfter = true;
            conn.stopReadingRequests();
        }
        return c;
    }

    @Override
    public boolean respondFile(Path file, String contentType, String[] extraHeaders) {
        conn.checkThread();
        if (answered || !conn.acceptsOutput()) {
            return false;
        }
        ResponseHead.validate(extraHeaders);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            return respondError(404, "not found", false);
        }
        if (!attrs.isRegularFile()) {
            return respondError(404, "not found", false);
        }
        long mtime = attrs.lastModifiedTime().to(TimeUnit.SECONDS);
        String lastModified = HttpDate.format(mtime);
        if (method.equals("GET") || head) {
            long since = HttpDate.parse(header("If-Modified-Since"));
            if (since >= 0 && mtime <= since) {
                return respond(304, concat(new String[] {"Last-Modified", lastModified}, extraHeaders), EMPTY);
            }
        }
        FileChannel fc = null;
        long size = attrs.size();
        if (!head) {
            try {
                fc = FileChannel.open(file, StandardOpenOption.READ);
                size = fc.size();
            } catch (IOException | RuntimeException e) {
                return respondError(404, "not found", false);
            }
        }
        String[] own = {"Content-Type", contentType == null ? "application/octet-stream" : contentType,
            "Last-Modified", lastModified};
        boolean callerClose = ResponseHead.validate(own) || ResponseHead.validate(extraHeaders);
        answered = true;
        complete = true;
        boolean close = decideClose(callerClose);
        enqueue(ByteBuffer.wrap(ResponseHead.encode(200, conn.dateLine(), own, extraHeaders, size, false, close)));
        if (fc != null) {
            if (size > 0) {
                enqueue(new FileRegion(fc, size));
            } else {
                closeQuietly(fc);
            }
        }
        conn.outputAdded(this, false);
        return true;
    }

    private static String[] concat(String[] a, String[] b) {
        if (b == null || b.length == 0) {
            return a;
        }
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    public boolean startStream(int status, String[] hdrs) {
        conn.checkThread();
        if (answered || !conn.acceptsOutput()) {
            return false;
        }
        boolean callerClose = ResponseHead.validate(hdrs);
        boolean bodyless = status < 200 || status == 204 || status == 304;
        answered = true;
        streaming = true;
        chunked = http11 && !bodyless;
        boolean close = decideClose(callerClose || (!http11 && !bodyless) || status < 200);
        enqueue(ByteBuffer.wrap(ResponseHead.encode(status, conn.dateLine(), hdrs, null, -1, chunked, close)));
        if (head || bodyless) {
            complete = true; // no body will be sent; sendChunk and endStream are no-ops
        }
        conn.outputAdded(this, false);
        return true;
    }

    @Override
    public void sendChunk(byte[] data) {
        conn.checkThread();
        if (!streaming || complete || data == null || data.length == 0 || !conn.acceptsOutput()) {
            return;
        }
        if (chunked) {
            // size line, data (by reference, no copy), CRLF: each chunk complete on the wire at once.
            String hex = Integer.toHexString(data.length);
            byte[] line = new byte[hex.length() + 2];
            for (int i = 0; i < hex.length(); i++) {
                line[i] = (byte) hex.charAt(i);
            }
            line[line.length - 2] = '\r';
            line[line.length - 1] = '\n';
            enqueue(ByteBuffer.wrap(line));
            enqueue(ByteBuffer.wrap(data));
            enqueue(ByteBuffer.wrap(CRLF));
        } else {
            enqueue(ByteBuffer.wrap(data));
        }
        conn.outputAdded(this, true);
    }

    @Override
    public void endStream() {
        conn.checkThread();
        if (!streaming || complete) {
            return;
        }
        complete = true;
        if (!conn.acceptsOutput()) {
            return;
        }
        if (chunked) {
            enqueue(ByteBuffer.wrap(LAST_CHUNK));
        }
        conn.outputAdded(this, false);
    }

    @Override
    public void onClose(Runnable callback) {
        if (aborted) {
            conn.runCallback(callback);
            return;
        }
        if (finished) {
            return;
        }
        if (closeCallbacks == null) {
            closeCallbacks = new ArrayList<>(2);
        }
        closeCallbacks.add(callback);
    }

    @Override
    public void onWritable(Runnable callback) {
        if (finished) {
            return;
        }
        if (writableCallbacks == null) {
            writableCallbacks = new ArrayList<>(2);
        }
        writableCallbacks.add(callback);
    }

    // ---- engine side

    void sendContinue() {
        if (!answered) {
            enqueue(ByteBuffer.wrap(CONTINUE));
            conn.outputAdded(this, false);
        }
    }

    boolean isComplete() {
        return complete;
    }

    private void enqueue(Object o) {
        if (out == null) {
            out = new ArrayDeque<>(4);
        }
        out.addLast(o);
        if (o instanceof ByteBuffer) {
            conn.addPending(((ByteBuffer) o).remaining());
        }
    }

    /**
     * Writes queued output.
     *
     * @return true when the queue is empty, false when the socket took no more
     */
    boolean writeOut(Transport t, ByteBuffer[] gather) throws IOException {
        ArrayDeque<Object> q = out;
        while (q != null && !q.isEmpty()) {
            Object first = q.peekFirst();
            if (first instanceof FileRegion) {
                FileRegion r = (FileRegion) first;
                long n = t.transferFile(r.channel, r.position, r.remaining);
                if (n > 0) {
                    r.position += n;
                    r.remaining -= n;
                    conn.progress();
                }
                if (r.remaining == 0) {
                    q.pollFirst();
                    closeQuietly(r.channel);
                    continue;
                }
                if (n == 0) {
                    if (r.channel.size() < r.position + r.remaining) {
                        throw new IOException("file shrank while being sent");
                    }
                    return false;
                }
                continue;
            }
            int n = 0;
            for (Object o : q) {
                if (!(o instanceof ByteBuffer) || n == gather.length) {
                    break;
                }
                gather[n++] = (ByteBuffer) o;
            }
            long w;
            try {
                w = t.write(gather, 0, n);
            } finally {
                java.util.Arrays.fill(gather, 0, n, null);
            }
            if (w > 0) {
                conn.written(w);
            }
            while (!q.isEmpty() && q.peekFirst() instanceof ByteBuffer && !((ByteBuffer) q.peekFirst()).hasRemaining()) {
                q.pollFirst();
            }
            if (!q.isEmpty() && q.peekFirst() instanceof ByteBuffer) {
                return false;
            }
        }
        return !t.hasPendingOutput() || t.flush();
    }

    /** The whole response was written. */
    void writeFinished() {
        finished = true;
        closeCallbacks = null;
        writableCallbacks = null;
        out = null;
    }

    /** Drops queued output (the exchange will never be written); returns the buffered bytes dropped. */
    long discardOutput() {
        long n = 0;
        if (out != null) {
            for (Object o : out) {
                if (o instanceof ByteBuffer) {
                    n += ((ByteBuffer) o).remaining();
                } else {
                    closeQuietly(((FileRegion) o).channel);
                }
            }
            out = null;
        }
        return n;
    }

    /** The connection closed before this exchange finished. */
    void connectionClosed() {
        discardOutput();
        if (finished || aborted) {
            return;
        }
        aborted = true;
        writableCallbacks = null;
        ArrayList<Runnable> cbs = closeCallbacks;
        closeCallbacks = null;
        if (cbs != null) {
            for (Runnable r : cbs) {
                conn.runCallback(r);
            }
        }
    }

    void fireWritable() {
        if (writableCallbacks != null && !finished && !aborted) {
            for (Runnable r : new ArrayList<>(writableCallbacks)) {
                conn.runCallback(r);
            }
        }
    }

    private static void closeQuietly(FileChannel fc) {
        try {
            fc.close();
        } catch (IOException ignored) {
            // read-only file
        }
    }

    static void log(HttpConnection c, LogLevel level, String message) {
        c.log(level, message);
    }

    /** A file segment still to send. */
    static final class FileRegion {
        final FileChannel channel;
        long position;
        long remaining;

        FileRegion(FileChannel channel, long size) {
            this.channel = channel;
            this.remaining = size;
        }
    }
}
