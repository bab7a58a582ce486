package dev.uhttp.workers.worker.testworkers;

/** A record bound from and serialised to JSON. */
public record Item(String name, int count) {
}
