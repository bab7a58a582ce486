package dev.uhttp.workers.ipc;

import java.io.IOException;

/** A frame that is too large, truncated or does not decode: the channel cannot be trusted any more. */
public class IpcProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public IpcProtocolException(String message) {
        super(message);
    }

    public IpcProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
