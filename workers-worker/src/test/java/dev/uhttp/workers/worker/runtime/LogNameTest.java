package dev.uhttp.workers.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uhttp.workers.ipc.Message;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker logger's name, from the pool's template (the reference's {@code log_name}). */
class LogNameTest {
    private static Message.Init init(String template) {
        return new Message.Init("compute", 2, "com.example.Outer$ComputeWorker", Map.of(), 20, 1000, 1, template);
    }

    @Test
    void everyPlaceholder() {
        long pid = ProcessHandle.current().pid();
        assertEquals("ComputeWorker[2]", WorkerRuntime.logName(init("{cls}[{worker_id}]")));
        assertEquals("compute/2/" + pid, WorkerRuntime.logName(init("{pool_name}/{worker_id}/{pid}")));
        assertEquals("fixed {unknown}", WorkerRuntime.logName(init("fixed {unknown}")));
    }

    @Test
    void theDefaultIsThePoolAndTheId() {
        assertEquals("compute[2]", WorkerRuntime.logName(init("{pool_name}[{worker_id}]")));
        assertEquals("compute[2]", WorkerRuntime.logName(init("")));
    }
}
