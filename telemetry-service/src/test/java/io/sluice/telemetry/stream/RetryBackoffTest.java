package io.sluice.telemetry.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void doublesFromInitialUpToMax() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

        assertEquals(Duration.ofSeconds(1), backoff.after(1));
        assertEquals(Duration.ofSeconds(2), backoff.after(2));
        assertEquals(Duration.ofSeconds(4), backoff.after(3));
        assertEquals(Duration.ofSeconds(8), backoff.after(4));
        assertEquals(Duration.ofSeconds(10), backoff.after(5));
        assertEquals(Duration.ofSeconds(10), backoff.after(Integer.MAX_VALUE));
    }

    @Test
    void rejectsSettingsThatWouldSpinOrShrink() {
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }
}
