package dev.uhttp.workers.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SHA-256 of a stream, handed to the digest by {@link InputStream#transferTo}:
 * {@code {"sha256": hex, "bytes": n}}.
 */
public final class Sha256 {
    private Sha256() {
    }

    public static Map<String, Object> of(InputStream in) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        // transferTo: a streamed request body hands its pieces to the digest as they are, with no copy
        // into a buffer of this method's (a read(buf) loop copies every byte once more).
        long total = in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sha256", HexFormat.of().formatHex(sha.digest()));
        answer.put("bytes", total);
        return answer;
    }
}
