package dev.uhttp.workers.dispatcher;

import dev.uhttp.workers.api.LogLevel;

/** Run as a process of its own by {@link LogFormatProcessTest}: writes one record as the default output would. */
public final class LogFormatProbe {
    private LogFormatProbe() {
    }

    public static void main(String[] args) {
        LogOutput.standardError().write(LogTarget.STANDARD_ERROR, "probe", LogLevel.WARNING, "hello");
    }
}
