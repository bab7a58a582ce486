package dev.uhttp.workers.dispatcher.launch;

import dev.uhttp.workers.dispatcher.WorkerPool;
import dev.uhttp.workers.dispatcher.pool.WorkerSpawner;
import dev.uhttp.workers.ipc.IpcChannel;
import dev.uhttp.workers.ipc.IpcServer;
import dev.uhttp.workers.ipc.loop.SelectorLoop;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** Starts a pool's worker JVMs: the command from {@link WorkerLauncher}, the channel from the IPC provider. */
public final class ProcessSpawner implements WorkerSpawner {
    private final WorkerPool spec;
    private final IpcServer ipc;
    private final Executor launcher;
    private final WorkerLauncher commands;
    private final Map<String, String> environment;
    private final SelectorLoop loop;

    /**
     * @param launcher    where {@code fork}/{@code exec} runs: it can take milliseconds, so never on the loop
     * @param environment added to each worker's environment
     */
    public ProcessSpawner(WorkerPool spec, IpcServer ipc, Executor launcher, WorkerLauncher commands,
                          Map<String, String> environment, SelectorLoop loop) {
        this.spec = spec;
        this.ipc = ipc;
        this.launcher = launcher;
        this.commands = commands;
        this.environment = environment;
        this.loop = loop;
    }

    @Override
    public void spawn(int workerId, Spawned spawned) {
        ProcessBuilder pb = new ProcessBuilder(commands.command(spec, workerId));
        pb.environment().putAll(environment);
        IpcServer.Launch launch;
        try {
            launch = ipc.prepare(pb);
        } catch (IOException e) {
            spawned.failed(e);
            return;
        }
        launcher.execute(() -> {
            try {
                Process process = pb.start();
                loop.execute(() -> spawned.started(process, (p, listener) -> attach(launch, p, listener)));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> {
                    launch.cancel();
                    spawned.failed(e);
                });
            }
        });
    }

    private IpcChannel attach(IpcServer.Launch launch, Process process, IpcChannel.Listener listener) throws IOException {
        IpcChannel channel = launch.attach(process);
        try {
            channel.start(loop, listener);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    @Override
    public void residentBytes(long[] pids, Consumer<long[]> result) {
        launcher.execute(() -> {
            long[] sizes = new long[pids.length];
            for (int i = 0; i < pids.length; i++) {
                sizes[i] = ProcessMemory.residentBytes(pids[i]);
            }
            loop.execute(() -> result.accept(sizes));
        });
    }

    @Override
    public void reloading() {
        launcher.execute(() -> commands.refreshArchives(spec));
    }

    @Override
    public void allReady() {
        commands.archivesPoolReady(spec);
    }
}
