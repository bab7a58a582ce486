package dev.uhttp.workers.worker.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.uhttp.workers.api.Cookie;
import dev.uhttp.workers.api.Headers;
import dev.uhttp.workers.api.Request;
import dev.uhttp.workers.worker.encoding.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Request} a handler receives, built from the dispatcher's request message. Everything
 * past the raw fields is parsed on first use: headers, query, cookies, text and JSON. Its parsing
 * accessors are meant to be used by the thread that handles the request; answering later
 * ({@code respond}, streams) goes through the {@link Responder} the runtime attached, from any thread.
 */
public final class WorkerRequest implements Request {

    /** What answers a request after its handler: the runtime's per-request state. Thread-safe. */
    public interface Responder {
        void respond(Object data, Integer status);

        void keepAlive();

        void responseStream(String contentType, Map<String, String> headers, List<Cookie> cookies);

        boolean sendEvent(Object data, String event, String id, Integer retry);

        boolean sendComment(String text);

        boolean sendChunk(byte[] data);

        void responseStreamEnd();

        boolean isOpen();
    }

    private static final Responder DETACHED = new Responder() {
        @Override
        public void respond(Object data, Integer status) {
            throw detached();
        }

        @Override
        public void keepAlive() {
        }

        @Override
        public void responseStream(String contentType, Map<String, String> headers, List<Cookie> cookies) {
            throw detached();
        }

        @Override
        public boolean sendEvent(Object data, String event, String id, Integer retry) {
            throw detached();
        }

        @Override
        public boolean sendComment(String text) {
            throw detached();
        }

        @Override
        public boolean sendChunk(byte[] data) {
            throw detached();
        }

        @Override
        public void responseStreamEnd() {
            throw detached();
        }

        @Override
        public boolean isOpen() {
            return false;
        }

        private IllegalStateException detached() {
            return new IllegalStateException("this request is not attached to a worker runtime");
        }
    };

    private static final byte[] EMPTY = new byte[0];

    private final long id;
    private final String method;
    private final String path;
    private final String queryString;
    private final String[] rawHeaders;
    private byte[] body;
    /** The body while it arrives (streamed requests), else null. */
    private RequestBodyStream bodyStream;
    private long bufferLimit;
    private long announcedLength = -1;
    private boolean bodyRead;
    private final String remoteHost;
    private final int remotePort;
    private final boolean secure;

    private Map<String, Object> pathParams = Collections.emptyMap();
    private Headers headers;
    private Map<String, List<String>> query;
    private Map<String, String> cookies;
    private InetSocketAddress remoteAddress;
    private Object context;
    private String requestId = "";
    private volatile Responder responder = DETACHED;

    /**
     * @param headers flat {@code [name0, value0, ...]} as received
     */
    public WorkerRequest(long id, String method, String path, String queryString, String[] headers, byte[] body,
                         String remoteHost, int remotePort, boolean secure) {
        this.id = id;
        this.method = method;
        this.path = path;
        this.queryString = queryString == null ? "" : queryString;
        this.rawHeaders = headers == null ? new String[0] : headers;
        this.body = body == null ? EMPTY : body;
        this.remoteHost = remoteHost == null ? "" : remoteHost;
        this.remotePort = remotePort;
        this.secure = secure;
    }

    /**
     * Makes this a request whose body arrives while it is handled: {@link #bodyStream()} reads it;
     * {@link #body()} reads it whole, up to {@code bufferLimit} bytes (413 beyond);
     * {@code length} is its announced length, or -1.
     */
    public void streamBody(RequestBodyStream stream, long bufferLimit, long length) {
        this.bodyStream = stream;
        this.bufferLimit = bufferLimit;
        this.announcedLength = length;
    }

    /** The streamed body, or null when the body came whole. */
    public RequestBodyStream streamedBody() {
        return bodyStream;
    }

    /** Connects the answering methods to the runtime. */
    public void attach(Responder responder) {
        this.responder = responder;
    }

    /** Sets what the dispatcher's {@code onRequestAccepted} returned for this request. */
    public void context(Object context) {
        this.context = context;
    }

    @Override
    public Object context() {
        return context;
    }

    /** Sets the request's {@code X-Request-Id} (null: none). */
    public void requestId(String requestId) {
        this.requestId = requestId == null ? "" : requestId;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    /** Sets the typed parameters of the route that matched. */
    public void pathParams(Map<String, Object> params) {
        this.pathParams = Collections.unmodifiableMap(params);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Map<String, Object> pathParams() {
        return pathParams;
    }

    @Override
    public String queryString() {
        return queryString;
    }

    @Override
    public Map<String, List<String>> query() {
        if (query == null) {
            query = QueryParser.parse(queryString);
        }
        return query;
    }

    @Override
    public Headers headers() {
        if (headers == null) {
            headers = Headers.of(rawHeaders);
        }
        return headers;
    }

    @Override
    public Map<String, String> cookies() {
        if (cookies == null) {
            cookies = CookieParser.parse(header("Cookie"));
        }
        return cookies;
    }

    @Override
    public byte[] body() {
        if (bodyStream == null) {
            return body;
        }
        synchronized (this) {
            if (!bodyRead) {
                if (bodyStream.bytesRead() > 0) {
                    throw new IllegalStateException("body() after part of the body was read with bodyStream()");
                }
                bodyRead = true;
                try {
                    body = bodyStream.readAll(bufferLimit, announcedLength);
                } catch (RequestBodyStream.BodyTooLargeException e) {
                    throw new dev.uhttp.workers.api.RejectRequest(413, java.util.Map.of("error", "Request body too large"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("request body not received: " + e.getMessage(), e);
                }
            }
            return body;
        }
    }

    @Override
    public java.io.InputStream bodyStream() {
        if (bodyStream == null || bodyRead) {
            return new java.io.ByteArrayInputStream(body());
        }
        return bodyStream;
    }

    @Override
    public String text() {
        return new String(body(), charset(contentType()));
    }

    @Override
    public Object json() {
        return json(Object.class);
    }

    @Override
    public <T> T json(Class<T> type) {
        byte[] body = body();
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new InvalidBodyException("Invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidBodyException("Invalid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        if (remoteAddress == null) {
            remoteAddress = address(remoteHost, remotePort);
        }
        return remoteAddress;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public void respond(Object data) {
        responder.respond(data, null);
    }

    @Override
    public void respond(int status, Object data) {
        responder.respond(data, status);
    }

    @Override
    public void keepAlive() {
        responder.keepAlive();
    }

    @Override
    public void responseStream(String contentType, Map<String, String> headers, List<Cookie> cookies) {
        responder.responseStream(contentType, headers == null ? Map.of() : headers, cookies == null ? List.of() : cookies);
    }

    @Override
    public boolean sendEvent(Object data, String event, String id, Integer retry) {
        return responder.sendEvent(data, event, id, retry);
    }

    @Override
    public boolean sendComment(String text) {
        return responder.sendComment(text);
    }

    @Override
    public boolean sendChunk(byte[] data) {
        return responder.sendChunk(data);
    }

    @Override
    public boolean sendNdjson(Object value) {
        byte[] line;
        try {
            byte[] json = Json.mapper().writeValueAsBytes(value);
            line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
        return responder.sendChunk(line);
    }

    @Override
    public boolean sendChunk(String text) {
        return responder.sendChunk(text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void responseStreamEnd() {
        responder.responseStreamEnd();
    }

    @Override
    public boolean isOpen() {
        return responder.isOpen();
    }

    @Override
    public String toString() {
        return method + " " + path + (queryString.isEmpty() ? "" : "?" + queryString) + " #" + id;
    }

    /** The charset parameter of {@code contentType}, UTF-8 when absent or unknown. */
    static Charset charset(String contentType) {
        if (contentType != null) {
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).trim();
                    if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                        name = name.substring(1, name.length() - 1);
                    }
                    try {
                        return Charset.forName(name);
                    } catch (IllegalArgumentException e) {
                        return StandardCharsets.UTF_8; // unknown or illegal name: fall back, never fail
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static InetSocketAddress address(String host, int port) {
        int p = port < 0 || port > 65535 ? 0 : port;
        if (isIpLiteral(host)) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), p); // a literal: no DNS lookup
            } catch (UnknownHostException e) {
                // fall through
            }
        }
        return InetSocketAddress.createUnresolved(host.isEmpty() ? "0.0.0.0" : host, p);
    }

    private static boolean isIpLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }
}
