package dev.uhttp.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The codec is its own: a JVM without msgpack-core on its class path encodes and decodes frames, and
 * prints no warning (JDK 24+ warns about sun.misc.Unsafe, which msgpack-core's default buffers use).
 */
class NoUnsafeWarningTest {

    @Test
    void theCodecRunsWithoutMsgpackCoreAndPrintsNoWarning() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("msgpack")).collect(Collectors.joining(File.pathSeparator));
        Process child = new ProcessBuilder(java, "-cp", classPath, CodecUser.class.getName())
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
