package dev.uhttp.workers.dispatcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A blocking HTTP/1.1 client over a raw socket, for sending exactly the bytes a test wants. */
public final class RawClient implements Closeable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    public RawClient(String host, int port) throws IOException {
        this(connect(host, port));
    }

    public RawClient(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(20_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 10_000);
        return s;
    }

    /** The socket (to write a large body straight to it). */
    public Socket socket() {
        return socket;
    }

    public RawClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    public static final class Response {
        public final int status;
        final String reason;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        public byte[] body = new byte[0];

        Response(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() throws IOException {
            return TestHandler.JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head} for a HEAD request (no body whatever the headers say). */
    public Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + statusLine);
        }
        Response r = new Response(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
        String h;
        while ((h = line()) != null && !h.isEmpty()) {
            int c = h.indexOf(':');
            r.headers.computeIfAbsent(h.substring(0, c).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(c + 1).trim());
        }
        if (head || HttpExchange.isBodyless(r.status)) {
            return r;
        }
        String te = r.header("transfer-encoding");
        String cl = r.header("content-length");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                if (!line().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            r.body = body.toByteArray();
        } else if (cl != null) {
            int n = Integer.parseInt(cl);
            r.body = in.readNBytes(n);
            if (r.body.length != n) {
                throw new EOFException("body cut short: " + r.body.length + " of " + n);
            }
        } else {
            r.body = in.readAllBytes();
        }
        return r;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Whether the server closed the connection (end of stream, or a reset), reading nothing else. */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public static Response get(int port, String path) throws IOException {
        try (RawClient c = new RawClient(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
        }
    }
}
