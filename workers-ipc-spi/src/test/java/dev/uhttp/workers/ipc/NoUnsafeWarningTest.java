package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code -Dmsgpack.universal-buffer} still prints no sun.misc.Unsafe warning when
 * it uses the codec (it matters on JDK 24+, where msgpack's default mode is warned about).
 */
class NoUnsafeWarningTest {

    @Test
    void theCodecNeedsNoFlagToStayQuiet() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CodecUser.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        child.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, child.exitValue(), output);
        assertFalse(output.contains("WARNING"), output);
        assertEquals("round trip ok", output.strip());
    }

    /** Encodes and decodes one frame, then prints a line. */
    public static final class CodecUser {
        public static void main(String[] args) throws Exception {
            FrameCodec codec = new FrameCodec();
            ByteBuffer frame = codec.encode(new Message.Log(20, "x", "hello"));
            Message back = codec.decode(frame.array(), 4, frame.remaining() - 4);
            System.out.println(back.equals(new Message.Log(20, "x", "hello")) ? "round trip ok" : "mismatch");
        }
    }
}
