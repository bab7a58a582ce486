/**
 * The IPC provider SPI ({@link dev.uhttp.workers.ipc.IpcProvider}, found with {@link java.util.ServiceLoader}),
 * the message set exchanged between dispatcher and workers, and the one MessagePack frame codec both
 * sides use. msgpack-core is used only inside this module: the published jar holds it relocated to
 * {@code dev.uhttp.workers.ipc.internal.msgpack}, a package this module does not export.
 */
module uhttp.workers.ipc.spi {
    // No "requires msgpack.core": this module is compiled against msgpack-core on the class path
    // (--add-reads uhttp.workers.ipc.spi=ALL-UNNAMED), and the jar holds it relocated (workers-ipc-spi/pom.xml).
    // msgpack's buffers reference sun.misc.Unsafe (unused with -Dmsgpack.universal-buffer=true).
    requires jdk.unsupported;
    // LogSink (uhttp.workers.api): the loop and the providers log through the runtime's one callback shape.
    requires transitive uhttp.workers.api;

    exports dev.uhttp.workers.ipc;
    exports dev.uhttp.workers.ipc.loop;

    uses dev.uhttp.workers.ipc.IpcProvider;
}
