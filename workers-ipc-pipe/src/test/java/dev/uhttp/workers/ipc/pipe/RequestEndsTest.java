package dev.uhttp.workers.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where the requests' frames ended, forgotten once the peer answered them or a later one. */
class RequestEndsTest {

    @Test
    void anAnswerForgetsItsRequestAndEveryEarlierOne() {
        RequestEnds ends = new RequestEnds();
        ends.add(1, 100);
        ends.add(2, 250);
        ends.add(3, 300);
        assertEquals(250, ends.answered(2), "answered out of order: 2 before 1");
        assertEquals(1, ends.size());
        assertEquals(-1, ends.answered(1), "read with 2 already");
        assertEquals(-1, ends.answered(2), "answered twice");
        assertEquals(-1, ends.answered(99), "never sent here");
        assertEquals(300, ends.answered(3));
        assertEquals(0, ends.size());
    }

    @Test
    void growsPastItsFirstSizeAndWrapsAround() {
        RequestEnds ends = new RequestEnds();
        long sent = 0;
        long id = 0;
        for (int round = 0; round < 50; round++) {
            int burst = 1 + round % 40; // up to 40 in flight: past the first 16 slots
            for (int i = 0; i < burst; i++) {
                sent += 10;
                ends.add(++id, sent);
            }
            assertEquals(burst, ends.size());
            assertEquals(sent, ends.answered(id));
            assertEquals(0, ends.size());
        }
    }
}
