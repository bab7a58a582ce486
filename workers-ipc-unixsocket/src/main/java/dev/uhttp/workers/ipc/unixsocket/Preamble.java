package dev.uhttp.workers.ipc.unixsocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The fixed-length greeting a worker writes right after connecting: an 8-byte magic, then its
 * per-launch secret as 64 ASCII hex digits. Fixed length so that the dispatcher reads exactly this
 * much before trusting anything, and never buffers past it.
 */
final class Preamble {

    static final byte[] MAGIC = "UHWIPC1\n".getBytes(StandardCharsets.US_ASCII);
    static final int SECRET_BYTES = 32;
    static final int SECRET_CHARS = SECRET_BYTES * 2;
    static final int LENGTH = MAGIC.length + SECRET_CHARS;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Preamble() {
    }

    /** A new random secret, as the ASCII hex digits that travel in the environment and the preamble. */
    static byte[] newSecret() {
        byte[] raw = new byte[SECRET_BYTES];
        RANDOM.nextBytes(raw);
        byte[] hex = new byte[SECRET_CHARS];
        for (int i = 0; i < raw.length; i++) {
            hex[2 * i] = HEX[(raw[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[raw[i] & 0xf];
        }
        return hex;
    }

    /** Whether {@code secret} has the shape of one {@link #newSecret} makes. */
    static boolean isWellFormed(String secret) {
        return secret != null && secret.length() == SECRET_CHARS && secret.chars().allMatch(c ->
                (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** The preamble carrying {@code secret}, ready to write. */
    static ByteBuffer encode(byte[] secret) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(MAGIC).put(secret, 0, Math.min(secret.length, SECRET_CHARS));
        while (b.hasRemaining()) {
            b.put((byte) 0);
        }
        return b.flip();
    }

    /** Whether a complete preamble starts with the magic. */
    static boolean hasMagic(byte[] preamble) {
        return MessageDigest.isEqual(Arrays.copyOf(preamble, MAGIC.length), MAGIC);
    }

    /** The secret part of a complete preamble. */
    static byte[] secret(byte[] preamble) {
        return Arrays.copyOfRange(preamble, MAGIC.length, LENGTH);
    }
}
