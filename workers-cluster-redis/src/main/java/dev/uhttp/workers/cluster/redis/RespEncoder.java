package dev.uhttp.workers.cluster.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes a command as RESP: an array of bulk strings. */
final class RespEncoder {
    private RespEncoder() {
    }

    /** {@code *N\r\n} then {@code $len\r\n<bytes>\r\n} for each argument (a String is sent as UTF-8). */
    static byte[] command(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        header(out, '*', args.length);
        for (Object a : args) {
            byte[] b = a instanceof byte[] bytes ? bytes : a.toString().getBytes(StandardCharsets.UTF_8);
            header(out, '$', b.length);
            out.write(b, 0, b.length);
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, char type, int n) {
        out.write(type);
        byte[] digits = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        out.write(digits, 0, digits.length);
        out.write('\r');
        out.write('\n');
    }
}
