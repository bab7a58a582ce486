package dev.uhttp.workers.dispatcher;

/** Placeholder: being written. */
public class Dispatcher {
}
