package dev.uhttp.workers.dispatcher.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * The answer with a file ({@link HttpExchange#respondFile}): conditional GET, {@code Range} and
 * {@code If-Range}; apart from {@link Http1Exchange} because it is HTTP file semantics, not exchange state.
 */
final class FileAnswer {
    private FileAnswer() {
    }

    /** Answers {@code ex} (not answered yet, its connection open) with {@code file}. */
    static boolean respond(Http1Exchange ex, Path file, String contentType, String[] extraHeaders) {
        ResponseHead.validate(extraHeaders);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            return ex.respondError(404, "not found", false);
        }
        if (!attrs.isRegularFile()) {
            return ex.respondError(404, "not found", false);
        }
        long mtime = attrs.lastModifiedTime().to(TimeUnit.SECONDS);
        String lastModified = HttpDate.format(mtime);
        boolean get = ex.method().equals("GET");
        boolean head = ex.isHeadRequest();
        if (get || head) {
            long since = HttpDate.parse(ex.header("If-Modified-Since"));
            if (since >= 0 && mtime <= since) {
                return ex.respond(304, concat(new String[] {"Last-Modified", lastModified}, extraHeaders),
                        Http1Exchange.EMPTY);
            }
        }
        FileChannel fc = null;
        long size = attrs.size();
        if (!head) {
            try {
                fc = FileChannel.open(file, StandardOpenOption.READ);
                size = fc.size();
            } catch (IOException | RuntimeException e) {
                return ex.respondError(404, "not found", false);
            }
        }
        // Range applies to GET only (RFC 9110 section 14.2); If-Range is evaluated after the 304 above.
        ByteRange range = get && ifRangeHolds(ex, mtime)
                ? ByteRange.parse(ex.header("Range"), size) : ByteRange.WHOLE;
        if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
            closeQuietly(fc);
            return ex.respond(416, concat(JsonErrors.HEADERS, new String[] {"Content-Range", "bytes */" + size,
                "Last-Modified", lastModified}), JsonErrors.body("Range not satisfiable"));
        }
        boolean partial = range.kind() == ByteRange.Kind.PARTIAL;
        long first = partial ? range.first() : 0;
        long count = partial ? range.length() : size;
        String type = contentType == null ? "application/octet-stream" : contentType;
        String[] own = partial
                ? new String[] {"Content-Type", type, "Last-Modified", lastModified, "Accept-Ranges", "bytes",
                    "Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size}
                : new String[] {"Content-Type", type, "Last-Modified", lastModified, "Accept-Ranges", "bytes"};
        boolean callerClose;
        try {
            callerClose = ResponseHead.validate(own) || ResponseHead.validate(extraHeaders);
        } catch (RuntimeException e) {
            closeQuietly(fc); // a header the worker set is refused (the caller answers 502): no descriptor left open
            throw e;
        }
        queue(ex, partial ? 206 : 200, own, extraHeaders, callerClose, fc, first, count);
        return true;
    }

    /**
     * Whether a {@code Range} may be honoured: no {@code If-Range}, or one naming exactly the file's
     * {@code Last-Modified} second. An entity tag never matches (the dispatcher sends none), so the
     * client then gets the whole file, as RFC 9110 section 13.1.5 asks.
     */
    private static boolean ifRangeHolds(Http1Exchange ex, long mtime) {
        String ifRange = ex.header("If-Range");
        if (ifRange == null) {
            return true;
        }
        long date = HttpDate.parse(ifRange.trim());
        return date >= 0 && date == mtime;
    }

    /** Queues the head and {@code count} bytes of {@code fc} from {@code first} (or closes {@code fc}: nothing to send from it). */
    private static void queue(Http1Exchange ex, int status, String[] own, String[] extraHeaders, boolean callerClose,
                              FileChannel fc, long first, long count) {
        boolean close = ex.answerWhole(status, callerClose);
        HttpConnection conn = ex.connection();
        ex.enqueue(OutboundPart.Bytes.of(ResponseHead.encode(status, conn.dateLine(), own, extraHeaders,
                count, false, close, ex.requestId())));
        if (fc != null && count > 0) {
            ex.bodyQueued(count);
            ex.enqueue(new OutboundPart.FileRegion(fc, first, count));
        } else {
            closeQuietly(fc);
        }
        conn.outputAdded(ex, false);
    }

    static void closeQuietly(FileChannel fc) {
        if (fc != null) {
            try {
                fc.close();
            } catch (IOException ignored) {
                // read-only file
            }
        }
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
}
