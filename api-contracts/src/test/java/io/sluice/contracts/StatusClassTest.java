package io.sluice.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusClassTest {

    @Test
    void httpStatusesFallIntoTheirHundredAndAnythingElseIsNoAnswer() {
        assertEquals("2xx", StatusClass.of(200));
        assertEquals("4xx", StatusClass.of(429));
        assertEquals("5xx", StatusClass.of(599));
        assertEquals("error", StatusClass.of(0));
        assertEquals("error", StatusClass.of(600));
    }
}
