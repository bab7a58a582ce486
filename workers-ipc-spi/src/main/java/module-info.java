/**
 * The IPC provider SPI ({@link dev.uhttp.workers.ipc.IpcProvider}, found with {@link java.util.ServiceLoader}),
 * the message set exchanged between dispatcher and workers, and the one MessagePack frame codec both
 * sides use. msgpack-core is used only inside this module.
 */
module uhttp.workers.ipc.spi {
    requires msgpack.core;

    exports dev.uhttp.workers.ipc;
    exports dev.uhttp.workers.ipc.loop;

    uses dev.uhttp.workers.ipc.IpcProvider;
}
