package dev.uhttp.workers.dispatcher.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The requests a worker holds (in flight or deferred), by id, in the order they were added: what a
 * {@code LinkedHashMap<Long, Pending>} did, without a boxed key and an entry object per request (two
 * per request and worker answer on the dispatcher's loop). The order is kept by links in the
 * {@link Pending}s themselves, the ids in an open-addressing table that grows and never shrinks.
 *
 * <p>Ownership: a request is in at most one set at a time ({@link #add} of a request that is in a set
 * throws); {@link #remove} takes it out, after which it can be added again (to this set or another).
 * Loop thread only.
 */
final class PendingSet {
    private static final int MIN_CAPACITY = 8;

    private long[] ids = new long[MIN_CAPACITY];
    private Pending[] entries = new Pending[MIN_CAPACITY];
    private int size;
    private Pending first;
    private Pending last;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The request with {@code id}, or null. */
    Pending get(long id) {
        int mask = entries.length - 1;
        for (int i = slotOf(id, mask); entries[i] != null; i = (i + 1) & mask) {
            if (ids[i] == id) {
                return entries[i];
            }
        }
        return null;
    }

    boolean contains(long id) {
        return get(id) != null;
    }

    /**
     * Adds {@code p} under its id, last in order.
     *
     * @throws IllegalStateException when {@code p} is in a set already, or another request has its id
     */
    void add(Pending p) {
        if (p.heldBy != null) {
            throw new IllegalStateException("request " + p.id + " is held by a worker already");
        }
        if ((size + 1) * 4 > entries.length * 3) {
            grow();
        }
        int mask = entries.length - 1;
        int i = slotOf(p.id, mask);
        while (entries[i] != null) {
            if (ids[i] == p.id) {
                throw new IllegalStateException("request id " + p.id + " held twice");
            }
            i = (i + 1) & mask;
        }
        ids[i] = p.id;
        entries[i] = p;
        size++;
        p.heldBy = this;
        p.heldPrev = last;
        p.heldNext = null;
        if (last == null) {
            first = p;
        } else {
            last.heldNext = p;
        }
        last = p;
    }

    /** Takes out and returns the request with {@code id}, or null. */
    Pending remove(long id) {
        int mask = entries.length - 1;
        for (int i = slotOf(id, mask); entries[i] != null; i = (i + 1) & mask) {
            if (ids[i] == id) {
                Pending p = entries[i];
                removeAt(i);
                return p;
            }
        }
        return null;
    }

    /** Takes out {@code p} if it is in this set; returns whether it was. */
    boolean remove(Pending p) {
        return p.heldBy == this && remove(p.id) == p;
    }

    /** Takes out every request {@code which} accepts, in order. */
    void removeIf(Predicate<Pending> which) {
        for (Pending p = first; p != null; ) {
            Pending next = p.heldNext;
            if (which.test(p)) {
                remove(p.id);
            }
            p = next;
        }
    }

    void clear() {
        removeIf(p -> true);
    }

    /** The requests, in order, as a new list (callers may change the set while they go through it). */
    List<Pending> list() {
        List<Pending> list = new ArrayList<>(size);
        for (Pending p = first; p != null; p = p.heldNext) {
            list.add(p);
        }
        return list;
    }

    /** The ids, in order, as a new list. */
    List<Long> ids() {
        List<Long> list = new ArrayList<>(size);
        for (Pending p = first; p != null; p = p.heldNext) {
            list.add(p.id);
        }
        return list;
    }

    private void removeAt(int slot) {
        Pending p = entries[slot];
        unlink(p);
        size--;
        // Backward-shift deletion: the entries after the gap that belong before it move into it.
        int mask = entries.length - 1;
        int gap = slot;
        int i = (slot + 1) & mask;
        while (entries[i] != null) {
            int home = slotOf(ids[i], mask);
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                ids[gap] = ids[i];
                entries[gap] = entries[i];
                gap = i;
            }
            i = (i + 1) & mask;
        }
        entries[gap] = null;
        ids[gap] = 0;
    }

    private void unlink(Pending p) {
        if (p.heldPrev == null) {
            first = p.heldNext;
        } else {
            p.heldPrev.heldNext = p.heldNext;
        }
        if (p.heldNext == null) {
            last = p.heldPrev;
        } else {
            p.heldNext.heldPrev = p.heldPrev;
        }
        p.heldPrev = null;
        p.heldNext = null;
        p.heldBy = null;
    }

    private void grow() {
        long[] oldIds = ids;
        Pending[] oldEntries = entries;
        ids = new long[oldIds.length * 2];
        entries = new Pending[oldEntries.length * 2];
        int mask = entries.length - 1;
        for (int j = 0; j < oldEntries.length; j++) {
            if (oldEntries[j] != null) {
                int i = slotOf(oldIds[j], mask);
                while (entries[i] != null) {
                    i = (i + 1) & mask;
                }
                ids[i] = oldIds[j];
                entries[i] = oldEntries[j];
            }
        }
    }

    private static int slotOf(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L; // ids are a counter: spread them
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
