package dev.uhttp.workers.dispatcher.cluster;

import dev.uhttp.workers.api.LogLevel;
import dev.uhttp.workers.ipc.loop.SelectorLoop;

/**
 * One dispatcher's connection to the cluster bus, opened by a {@link ClusterBusProvider}. Every method
 * is called on the dispatcher's loop thread, and none may block it: a bus does its I/O on that loop
 * ({@link Node#loop()}), non-blocking, and drops (and counts) what it cannot send now.
 */
public interface ClusterBus extends AutoCloseable {

    /** The bus of a dispatcher alone: nothing leaves the process, nothing comes in. */
    ClusterBus LOCAL = new ClusterBus() {
        @Override
        public boolean publish(byte[] message) {
            return true;
        }

        @Override
        public Stats stats() {
            return new Stats(true, 0, 0, 0, 0);
        }

        @Override
        public void close() {
        }
    };

    /**
     * Sends {@code message} to every dispatcher on the bus (this one may get it back: {@link Node#deliver}
     * is told, and the dispatcher drops its own). Never blocks.
     *
     * @return false when the message could not be handed to the bus now (disconnected): it is dropped
     */
    boolean publish(byte[] message);

    /** The bus's counters, for the metrics. */
    Stats stats();

    /** Closes the bus's connections; nothing is delivered afterwards. */
    @Override
    void close();

    /**
     * The counters of a bus.
     *
     * @param connected   whether it can publish and receive now
     * @param messagesIn  messages received from the bus (own ones included)
     * @param messagesOut messages handed to the bus
     * @param dropped     messages not sent because the bus was not connected
     * @param reconnects  connections made again after one was lost or refused
     */
    record Stats(boolean connected, long messagesIn, long messagesOut, long dropped, long reconnects) {
    }

    /** What a bus gets from the dispatcher that opens it. */
    interface Node {
        /** This dispatcher's id on the bus: unique among the running dispatchers. */
        String id();

        /** The dispatcher's event loop: register channels and timers here; it is the only thread that calls the bus. */
        SelectorLoop loop();

        /** A message from the bus (loop thread). */
        void deliver(byte[] message);

        /** Logs a record of the bus (its connections coming and going). */
        void log(LogLevel level, String message);
    }
}
