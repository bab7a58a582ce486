package dev.uhttp.workers.dispatcher.http;

import java.nio.charset.StandardCharsets;

/** Reason phrases and pre-encoded status lines. */
final class HttpStatus {
    private static final byte[][] LINES = new byte[1000][];

    private HttpStatus() {
    }

    static String reason(int code) {
        switch (code) {
            case 100: return "Continue";
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 201: return "Created";
            case 202: return "Accepted";
            case 203: return "Non-Authoritative Information";
            case 204: return "No Content";
            case 205: return "Reset Content";
            case 206: return "Partial Content";
            case 300: return "Multiple Choices";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 303: return "See Other";
            case 304: return "Not Modified";
            case 307: return "Temporary Redirect";
            case 308: return "Permanent Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 402: return "Payment Required";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 411: return "Length Required";
            case 412: return "Precondition Failed";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 415: return "Unsupported Media Type";
            case 416: return "Range Not Satisfiable";
            case 417: return "Expectation Failed";
            case 418: return "I'm a teapot";
            case 421: return "Misdirected Request";
            case 422: return "Unprocessable Content";
            case 425: return "Too Early";
            case 426: return "Upgrade Required";
            case 428: return "Precondition Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 451: return "Unavailable For Legal Reasons";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            default:
                if (code < 200) return "Informational";
                if (code < 300) return "Success";
                if (code < 400) return "Redirection";
                if (code < 500) return "Client Error";
                return "Server Error";
        }
    }

    /** {@code "HTTP/1.1 200 OK\r\n"} as bytes, cached; {@code code} must be 100..999. */
    static byte[] statusLine(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("HTTP status out of range: " + code);
        }
        byte[] line = LINES[code];
        if (line == null) {
            line = ("HTTP/1.1 " + code + " " + reason(code) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            LINES[code] = line;
        }
        return line;
    }
}
