package dev.uhttp.workers.ipc.pipe;

/**
 * Where each request's frame ended in the dispatcher's output to a worker, in the order they were sent,
 * until the worker says something about that request: then it has read everything up to there (and
 * before). A ring of two {@code long} arrays: no boxed ids and no map entry per request, as a
 * {@code HashMap<Long, Long>} had. Not thread-safe (the channel's write lock guards it).
 */
final class RequestEnds {
    private long[] ids = new long[16];
    private long[] ends = new long[16];
    private int head;
    private int count;

    /** Request {@code id}'s frame ended at byte {@code end} of the output. */
    void add(long id, long end) {
        if (count == ids.length) {
            grow();
        }
        int i = (head + count) & (ids.length - 1);
        ids[i] = id;
        ends[i] = end;
        count++;
    }

    /**
     * The peer answered request {@code id}: returns where its frame ended, or -1 when it is not held
     * (answered before, or not a request sent here); it and every request sent before it are forgotten,
     * since the peer has read them too.
     */
    long answered(long id) {
        int mask = ids.length - 1;
        for (int k = 0; k < count; k++) {
            int i = (head + k) & mask;
            if (ids[i] == id) {
                head = (i + 1) & mask;
                count -= k + 1;
                return ends[i];
            }
        }
        return -1;
    }

    int size() {
        return count;
    }

    private void grow() {
        long[] i2 = new long[ids.length * 2];
        long[] e2 = new long[ids.length * 2];
        for (int k = 0; k < count; k++) {
            int i = (head + k) & (ids.length - 1);
            i2[k] = ids[i];
            e2[k] = ends[i];
        }
        ids = i2;
        ends = e2;
        head = 0;
    }
}
