package dev.uhttp.workers.dispatcher.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resident memory of a process: the {@code VmRSS} line of {@code /proc/<pid>/status} (Linux), the
 * memory the kernel holds for it now (heap, metaspace, code, thread stacks, native libraries). File
 * I/O: never on the loop.
 */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident bytes of {@code pid}, or -1 when unknown (gone, not Linux). */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // always in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
