package dev.uhttp.workers.dispatcher.http;

import java.util.ArrayList;

/**
 * The fields that frame a request (Host, Content-Length, Transfer-Encoding, Connection, Expect), noted
 * while a head is parsed and checked when it ends; apart from {@link RequestParser}: semantics, not syntax.
 */
final class FramingFields {
    private int hostIndex;
    private int hostCount;
    private String contentLengthValue;
    private String transferEncoding;
    private String connection;
    private String expect;
    /** The head built last on this connection. */
    private RequestHead last;

    void reset() {
        hostIndex = -1;
        hostCount = 0;
        contentLengthValue = null;
        transferEncoding = null;
        connection = null;
        expect = null;
    }

    /** Notes a field just added to {@code headers} (its value at index {@code valueIndex}). */
    void note(String name, String value, int valueIndex) {
        switch (name.length()) {
            case 4:
                if (name.equalsIgnoreCase("host")) {
                    hostCount++;
                    hostIndex = valueIndex;
                }
                break;
            case 6:
                if (name.equalsIgnoreCase("expect")) expect = join(expect, value);
                break;
            case 10:
                if (name.equalsIgnoreCase("connection")) connection = join(connection, value);
                break;
            case 14:
                if (name.equalsIgnoreCase("content-length")) contentLengthValue = join(contentLengthValue, value);
                break;
            case 17:
                if (name.equalsIgnoreCase("transfer-encoding")) transferEncoding = join(transferEncoding, value);
                break;
            default:
                break;
        }
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "," + b;
    }

    /** Checks the noted fields at the end of the head and builds it (its framing and length included). */
    RequestHead head(String method, String target, RequestTarget parsedTarget, boolean http11,
                     ArrayList<String> headers) throws HttpError {
        if (http11 && hostCount == 0) {
            throw new HttpError(400, "missing Host header");
        }
        if (hostCount > 1) {
            throw new HttpError(400, "more than one Host header");
        }
        if (hostCount == 1) {
            FieldRules.host(headers.get(hostIndex), true);
            if (parsedTarget.authority != null) {
                // absolute-form: the target's authority is the host (RFC 9112 section 3.2.2)
                headers.set(hostIndex, parsedTarget.authority);
            }
        }
        if (transferEncoding != null && contentLengthValue != null) {
            throw new HttpError(400, "both Content-Length and Transfer-Encoding");
        }
        boolean keepAlive = FieldRules.keepAlive(connection, http11);
        RequestHead.Framing framing = RequestHead.Framing.NONE;
        long contentLength = -1;
        if (transferEncoding != null) {
            if (!http11) {
                throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            FieldRules.transferEncoding(transferEncoding);
            framing = RequestHead.Framing.CHUNKED;
        } else if (contentLengthValue != null) {
            contentLength = FieldRules.contentLength(contentLengthValue);
            if (contentLength > 0) {
                framing = RequestHead.Framing.LENGTH;
            }
        }
        boolean expectContinue = FieldRules.expectContinue(expect, http11);
        long length = framing == RequestHead.Framing.LENGTH ? contentLength : 0;
        RequestHead l = last;
        if (l != null && l.method().equals(method) && l.target() == target && l.path() == parsedTarget.path
                && l.query() == parsedTarget.query && l.http11() == http11 && l.keepAlive() == keepAlive
                && l.expectContinue() == expectContinue && l.framing() == framing && l.contentLength() == length
                && same(l.headers(), headers)) {
            return l; // the request before, again: a head is immutable, so one serves both
        }
        last = new RequestHead(method, target, parsedTarget.path, parsedTarget.query, http11,
                headers.toArray(new String[0]), keepAlive, expectContinue, framing, length);
        return last;
    }

    /** The same strings (by identity: {@link RecentStrings} gives repeated ones back) in the same order. */
    private static boolean same(String[] before, ArrayList<String> now) {
        if (before.length != now.size()) {
            return false;
        }
        for (int i = 0; i < before.length; i++) {
            if (before[i] != now.get(i)) {
                return false;
            }
        }
        return true;
    }
}
