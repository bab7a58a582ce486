package dev.uhttp.workers.dispatcher;

/** How access log lines look ({@link Dispatcher#accessLog}). */
public enum AccessLogFormat {
    /**
     * nginx's and Apache's {@code combined}: {@code $remote_addr - $remote_user [$time_local] "$request"
     * $status $body_bytes_sent "$http_referer" "$http_user_agent"}, escaped as nginx escapes ({@code "},
     * {@code \}, control characters and bytes above 126 as {@code \xHH}; {@code -} for an absent value).
     */
    COMBINED,
    /**
     * One JSON object per line: {@code time} (ISO 8601, UTC), {@code remote_addr}, {@code method},
     * {@code target}, {@code protocol}, {@code status}, {@code bytes_sent}, {@code duration_ms} (from the
     * request's head read to its response written), {@code pool} (a pool's name, {@code static},
     * {@code sync} or {@code none}), {@code worker} (or null), {@code request_id}, {@code user_agent},
     * {@code referer} (null when absent).
     */
    JSON
}
