package dev.uhttp.workers.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SHA-256 of a stream, read in 64 KiB steps: {@code {"sha256": hex, "bytes": n}}. */
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
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            sha.update(buf, 0, n);
            total += n;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sha256", HexFormat.of().formatHex(sha.digest()));
        answer.put("bytes", total);
        return answer;
    }
}
