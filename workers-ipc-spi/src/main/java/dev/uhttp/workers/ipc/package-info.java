/**
 * The IPC provider SPI ({@link dev.uhttp.workers.ipc.IpcProvider}, {@link dev.uhttp.workers.ipc.IpcChannel},
 * {@link dev.uhttp.workers.ipc.IpcServer}), the {@link dev.uhttp.workers.ipc.Message} set and the MessagePack
 * {@link dev.uhttp.workers.ipc.FrameCodec} that dispatcher and workers share.
 */
package dev.uhttp.workers.ipc;
